// title: Drop addresses
// category: Logistics
// description: >
//   Addresses used by many unrelated people for parcels: parcels arriving from several senders, parcels
//   leaving for several receivers, and many names used there (people recorded at the address, receiver
//   names on its parcels). An ordinary home receives from a few acquaintances under one or two names; a
//   drop address or a reshipping room serves a trade under many. A busy collection point (驿站) also
//   receives from many senders for many names, but hands most parcels over to the people who collect
//   them: an address with `collection_parcels` or more parcels delivered is left out unless at least
//   `min_out_share` of its parcels leave from it, as a drop ships on what it receives. `score` adds the unrelated sender groups
//   (sending phones grouped by their holder's ring, else their holder, so one person's or one ring's
//   phones count once), the names used and half the receivers of parcels sent from it.
// params:
//   - {name: min_senders, type: integer, default: 2, help: Minimum number of distinct phones sending parcels there}
//   - {name: min_names, type: integer, default: 2, help: Minimum number of names used at the address}
//   - {name: collection_parcels, type: integer, default: 50, help: An address with this many parcels delivered is a collection point unless min_out_share of its parcels leave from it}
//   - {name: min_out_share, type: float, default: 0.25, help: Share of a busy address's parcels that must leave from it (a drop ships on; a collection point keeps most)}
//   - {name: max_parcels, type: integer, default: 5000, help: Skip addresses with more parcels than this (depots)}
//   - {name: limit, type: integer, default: 50, help: Maximum number of addresses}
// columns: [address, text, parcels, senders, sender_rings, receivers_out, names_used, receiver_names, score, parcel_nodes, sender_phones]
// draw: {nodes: [address, parcel_nodes, sender_phones], score: score}
// heavy: true
MATCH (a:Address)
WITH a, COUNT { (a)<-[:DELIVERED_TO]-() } AS inbound, COUNT { (a)<-[:SENT_FROM]-() } AS outbound
WHERE inbound >= $min_senders AND inbound + outbound <= $max_parcels
  // A busy collection point: many parcels delivered, most of them collected there rather than sent on.
  AND NOT (inbound >= $collection_parcels AND outbound < $min_out_share * (inbound + outbound))
CALL (a) {
  MATCH (a)<-[:DELIVERED_TO]-(parcel:Parcel)<-[:SENT]-(sender:Phone)
  OPTIONAL MATCH (parcel)-[:RECEIVED_BY]->(:Phone)<-[:HAS_PHONE]-(receiver:Person)
  // A sender's group: its holder's ring when the analytics put it in one, else its holder, else the phone.
  // A phone held under several names (one person's spellings across exports) is one sender, one group.
  WITH parcel, sender, receiver, COLLECT {
    MATCH (sender)<-[:HAS_PHONE]-(owner:Person)
    RETURN coalesce(owner.ring_id, owner.person_id) AS grp ORDER BY owner.ring_id IS NULL, grp LIMIT 1
  } AS held
  WITH parcel, sender, receiver, coalesce(head(held), 'phone:' + sender.number) AS grp
  RETURN collect(DISTINCT parcel) AS parcel_nodes, collect(DISTINCT sender) AS sender_phones,
         collect(DISTINCT grp) AS sender_groups, collect(DISTINCT receiver.name) AS receiver_names
}
WITH a, parcel_nodes, sender_phones, sender_groups, receiver_names
WHERE size(sender_phones) >= $min_senders
CALL (a) {
  OPTIONAL MATCH (a)<-[:SENT_FROM]-(:Parcel)-[:RECEIVED_BY]->(out:Phone)
  RETURN count(DISTINCT out) AS receivers_out
}
CALL (a, receiver_names) {
  OPTIONAL MATCH (a)<-[:LIVES_AT]-(resident:Person)
  WITH receiver_names, collect(DISTINCT resident.name) AS residents
  RETURN size(receiver_names + [n IN residents WHERE NOT n IN receiver_names]) AS names_used
}
WITH a, parcel_nodes, sender_phones, sender_groups, receiver_names, receivers_out, names_used
WHERE names_used >= $min_names
RETURN a AS address, coalesce(a.text, a.address_id) AS text, size(parcel_nodes) AS parcels,
       size(sender_phones) AS senders, size(sender_groups) AS sender_rings, receivers_out, names_used,
       receiver_names, size(sender_groups) + names_used + 0.5 * receivers_out AS score, parcel_nodes, sender_phones
ORDER BY score DESC, parcels DESC
LIMIT $limit
