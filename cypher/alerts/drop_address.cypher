// title: Address crosses the drop-address threshold
// category: Alerts
// description: >
//   With the parcels this load added, an address now receives parcels from at least `min_senders`
//   distinct sending phones, and it received from fewer before: an ordinary address turning into a drop.
//   Busy depots (more than `max_parcels` parcels) are left out. One alert per address.
// params:
//   - {name: load_id, type: string, help: "The load (sha256:mapping) whose additions are checked", example: "0000:waybills"}
//   - {name: min_senders, type: integer, default: 3, help: Distinct sending phones that make a drop address}
//   - {name: max_parcels, type: integer, default: 5000, help: Skip addresses with more parcels than this (depots)}
// columns: [evidence, rings, summary, sources]
MATCH (load:Load {load_id: $load_id})
MATCH (:Parcel)-[d:DELIVERED_TO]->(a:Address) USING INDEX SEEK d:DELIVERED_TO(load_id)
WHERE d.load_id = $load_id
WITH DISTINCT load, a
CALL (load, a) {
  MATCH (a)<-[d:DELIVERED_TO]-(p:Parcel)<-[:SENT]-(s:Phone)
  OPTIONAL MATCH (l2:Load {load_id: d.load_id})
  WITH d, p, s, d.load_id = $load_id AS added, coalesce(l2.started_at < load.started_at, false) AS before
  WHERE added OR before
  OPTIONAL MATCH (s)<-[:HAS_PHONE]-(owner:Person)
  RETURN count(DISTINCT s) AS senders, count(DISTINCT CASE WHEN before THEN s END) AS senders_before,
         count(DISTINCT p) AS parcels, collect(DISTINCT owner.ring_id) AS rings,
         collect(DISTINCT CASE WHEN added THEN d.load_id + '#' + toString(d.row) END) AS sources
}
WITH a, senders, senders_before, parcels, rings, sources
WHERE senders >= $min_senders AND senders_before < $min_senders AND parcels <= $max_parcels
RETURN [a.address_id] AS evidence,
       rings,
       {address: coalesce(a.text, a.address_id), senders: senders, before: senders_before} AS summary,
       sources[..20] AS sources
