// title: Online-to-offline chain
// category: Flows
// description: >
//   From an advert or a chat to a doorstep. A post on a site or group chat, the handle that posted it, the
//   payment account it names (or its poster's owner holds), the parcels sent from the phone it names (or its
//   owner's phones), and the addresses they went to. Sellers often leave the shipping to a courier, so
//   the chain also follows the money: parcels received by people who paid the advertised account, sent
//   within `hours` after their payment (`leg` says which way each parcel was found). A chat message
//   (private or in a group) is followed through what its text names: parcels received on a phone it names
//   (a payment phone is often the buyer's or a drop's), parcels sent from it, and parcels received by
//   people who paid an account it names; `payment` is then the payment account the message names.
//   Only slang-flagged posts and messages unless `slang_only` is false.
// params:
//   - {name: site, type: string, default: null, help: "Only posts and group messages on this site (site_id such as forum:xyz; empty: all)"}
//   - {name: slang_only, type: boolean, default: true, help: Only posts and messages flagged with drug slang}
//   - {name: hours, type: integer, default: 48, help: A payer's parcel counts when sent within this many hours after paying}
//   - {name: limit, type: integer, default: 100, help: Maximum number of chains}
// columns: [site, post, handle, payment, leg, phone, parcel, address]
// draw: {nodes: [site, post, handle, payment, phone, parcel, address]}
// heavy: true
CALL () {
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
  RETURN site, post, handle, pay, leg, via, parcel
  UNION
  MATCH (handle)-[:WROTE]->(post:Message)
  WHERE NOT $slang_only OR post.slang = true
  OPTIONAL MATCH (post)-[:IN_GROUP]->(site:Site)
  WITH handle, post, site WHERE $site IS NULL OR site.site_id = $site
  CALL (post) {
    MATCH (post)-[:MENTIONS]->(via:Phone)<-[:RECEIVED_BY]-(parcel:Parcel)
    RETURN null AS paid_to, 'received on the phone named' AS leg, via, parcel
    UNION
    MATCH (post)-[:MENTIONS]->(via:Phone)-[:SENT]->(parcel:Parcel)
    RETURN null AS paid_to, 'sent from the phone named' AS leg, via, parcel
    UNION
    MATCH (post)-[:MENTIONS]->(paid_to:Account)<-[paid:TRANSFERRED]-(:Account)<-[:HAS_ACCOUNT]-(:Person)
          -[:HAS_PHONE]->(via:Phone)<-[:RECEIVED_BY]-(parcel:Parcel)<-[sent:SENT]-()
    WITH paid_to, via, parcel, paid, coalesce(sent.at, parcel.sent_at) AS sent_at
    WHERE sent_at >= paid.at AND sent_at <= paid.at + duration({hours: $hours})
    RETURN paid_to, 'received by a payer' AS leg, via, parcel
  }
  CALL (post) {
    OPTIONAL MATCH (post)-[:MENTIONS]->(named:Account)
    WHERE named.platform IN ['alipay', 'wechatpay', 'bank', 'crypto']
    WITH named ORDER BY named.account_id
    RETURN head(collect(named)) AS named
  }
  RETURN site, post, handle, coalesce(paid_to, named) AS pay, leg, via, parcel
}
WITH DISTINCT site, post, handle, pay, leg, via, parcel
OPTIONAL MATCH (parcel)-[:DELIVERED_TO]->(address:Address)
RETURN site, post, handle, pay AS payment, leg, via AS phone, parcel, address
LIMIT $limit
