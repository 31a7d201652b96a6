// title: Receivers using many names
// category: Logistics
// description: >
//   Phones that received parcels under several different receiver names (one phone, many names): each
//   row is a receiving phone with the names written on its waybills and the delivery addresses used.
// params:
//   - {name: min_names, type: integer, default: 2, help: Minimum number of distinct receiver names}
//   - {name: limit, type: integer, default: 50, help: Maximum number of phones}
// columns: [phone, number, names, name_count, parcels, addresses, people, address_nodes]
// draw: {nodes: [phone, people, address_nodes], score: name_count}
// heavy: true
MATCH (phone:Phone)
WHERE COUNT { (phone)<-[:HAS_PHONE]-() } >= $min_names AND EXISTS { (phone)<-[:RECEIVED_BY]-(:Parcel) }
MATCH (phone)<-[:HAS_PHONE]-(p:Person)
WITH phone, collect(DISTINCT p) AS people, collect(DISTINCT p.name) AS names
WHERE size(names) >= $min_names
CALL (phone) {
  MATCH (phone)<-[:RECEIVED_BY]-(parcel:Parcel)
  OPTIONAL MATCH (parcel)-[:DELIVERED_TO]->(addr:Address)
  RETURN count(DISTINCT parcel) AS parcels, collect(DISTINCT addr) AS address_nodes
}
RETURN phone, phone.number AS number, names, size(names) AS name_count, parcels,
       [x IN address_nodes | coalesce(x.text, x.address_id)] AS addresses, people, address_nodes
ORDER BY name_count DESC, parcels DESC
LIMIT $limit
