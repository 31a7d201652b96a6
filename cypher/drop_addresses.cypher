// title: Drop addresses
// category: Logistics
// description: >
//   Addresses receiving parcels from many unrelated senders: each row is a delivery address with the
//   number of parcels, of distinct sending phones and of distinct sender rings (senders in different
//   rings, or in none, are unrelated), the receiver names used there, and the parcels.
// params:
//   - {name: min_senders, type: integer, default: 3, help: Minimum number of distinct sending phones}
//   - {name: max_parcels, type: integer, default: 5000, help: Skip addresses with more parcels than this (depots)}
//   - {name: limit, type: integer, default: 50, help: Maximum number of addresses}
// columns: [address, text, parcels, senders, sender_rings, receiver_names, score, parcel_nodes, sender_phones]
// draw: {nodes: [address, parcel_nodes, sender_phones], score: score}
// heavy: true
MATCH (a:Address)
WHERE COUNT { (a)<-[:DELIVERED_TO]-() } >= $min_senders AND COUNT { (a)<-[:DELIVERED_TO]-() } <= $max_parcels
MATCH (a)<-[:DELIVERED_TO]-(parcel:Parcel)<-[:SENT]-(sender:Phone)
OPTIONAL MATCH (sender)<-[:HAS_PHONE]-(owner:Person)
OPTIONAL MATCH (parcel)-[:RECEIVED_BY]->(:Phone)<-[:HAS_PHONE]-(receiver:Person)
WITH a, collect(DISTINCT parcel) AS parcel_nodes, collect(DISTINCT sender) AS sender_phones,
     collect(DISTINCT coalesce(owner.ring_id, 'phone:' + sender.number)) AS sender_groups,
     collect(DISTINCT receiver.name) AS receiver_names
WHERE size(sender_phones) >= $min_senders
RETURN a AS address, coalesce(a.text, a.address_id) AS text, size(parcel_nodes) AS parcels,
       size(sender_phones) AS senders, size(sender_groups) AS sender_rings, receiver_names,
       size(sender_groups) * 1.0 + size(receiver_names) * 0.5 AS score, parcel_nodes, sender_phones
ORDER BY score DESC, parcels DESC
LIMIT $limit
