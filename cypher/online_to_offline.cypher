// title: Online-to-offline chain
// category: Flows
// description: >
//   From an advert to a doorstep: a post on a site or group chat, the handle that posted it, the payment
//   account it names (or its poster's owner holds), the parcels sent from the phone it names (or its
//   owner's phones), and the addresses they went to. Sellers often leave the shipping to a courier, so
//   the chain also follows the money: parcels received by people who paid the advertised account, sent
//   within `hours` after their payment (`leg` says which way each parcel was found).
//   Only slang-flagged posts unless `slang_only` is false.
// params:
//   - {name: site, type: string, default: null, help: "Only posts on this site (site_id such as forum:xyz; empty: all)"}
//   - {name: slang_only, type: boolean, default: true, help: Only posts flagged with drug slang}
//   - {name: hours, type: integer, default: 48, help: A payer's parcel counts when sent within this many hours after paying}
//   - {name: limit, type: integer, default: 100, help: Maximum number of chains}
// columns: [site, post, handle, payment, leg, phone, parcel, address]
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
CALL (pay, phone) {
  MATCH (phone)-[:SENT]->(parcel:Parcel)
  RETURN 'sent by the advertiser' AS leg, phone AS via, parcel
  UNION
  MATCH (pay)<-[paid:TRANSFERRED]-(:Account)<-[:HAS_ACCOUNT]-(:Person)-[:HAS_PHONE]->(via:Phone)
        <-[:RECEIVED_BY]-(parcel:Parcel)<-[sent:SENT]-()
  WITH via, parcel, paid, coalesce(sent.at, parcel.sent_at) AS sent_at
  WHERE sent_at >= paid.at AND sent_at <= paid.at + duration({hours: $hours})
  RETURN 'received by a payer' AS leg, via, parcel
}
WITH DISTINCT site, post, handle, pay, leg, via, parcel
OPTIONAL MATCH (parcel)-[:DELIVERED_TO]->(address:Address)
RETURN site, post, handle, pay AS payment, leg, via AS phone, parcel, address
LIMIT $limit
