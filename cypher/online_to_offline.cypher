// title: Online-to-offline chain
// category: Flows
// description: >
//   From an advert to a doorstep: a post on a site or group chat, the handle that posted it, the payment
//   account it names (or its poster's owner holds), the parcels sent from the phone it names (or its
//   owner's phones), and the addresses they went to. Only slang-flagged posts unless `slang_only` is false.
// params:
//   - {name: site, type: string, default: null, help: "Only posts on this site (site_id such as forum:xyz; empty: all)"}
//   - {name: slang_only, type: boolean, default: true, help: Only posts flagged with drug slang}
//   - {name: limit, type: integer, default: 100, help: Maximum number of chains}
// columns: [site, post, handle, payment, phone, parcel, address]
// draw: {nodes: [site, post, handle, payment, phone, parcel, address]}
// heavy: true
CALL () {
  MATCH (post:Post)-[:POSTED_ON]->(site:Site {site_id: $site}) RETURN post, site
  UNION
  MATCH (post:Post)-[:POSTED_ON]->(site:Site) WHERE $site IS NULL RETURN post, site
}
WITH post, site WHERE NOT $slang_only OR post.slang = true
MATCH (handle:Account)-[:POSTED]->(post)
CALL (post, handle) {
  MATCH (post)-[:MENTIONS]->(pay:Account) RETURN pay
  UNION
  MATCH (handle)<-[:HAS_ACCOUNT]-(:Person)-[:HAS_ACCOUNT]->(pay:Account) WHERE pay <> handle RETURN pay
}
CALL (post, handle) {
  MATCH (post)-[:MENTIONS]->(phone:Phone) RETURN phone
  UNION
  MATCH (handle)<-[:HAS_ACCOUNT]-(:Person)-[:HAS_PHONE]->(phone:Phone) RETURN phone
}
MATCH (phone)-[:SENT]->(parcel:Parcel)
OPTIONAL MATCH (parcel)-[:DELIVERED_TO]->(address:Address)
RETURN site, post, handle, pay AS payment, phone, parcel, address
LIMIT $limit
