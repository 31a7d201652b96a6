// title: Payment then parcel
// category: Flows
// description: >
//   A payment followed by a parcel to the payer: the payer's owner receives a parcel sent within `hours`
//   after the payment. The classic pay-then-ship sequence of an online drug sale, whether the seller
//   (the payee's owner) ships it or someone else does (`shipper`, often a courier of the same ring);
//   `seller_ships` says which. Restrict the window of payments with `since`/`until`. `chats` are the posts
//   and chat messages whose text names the payee account (a card or Alipay account given in a chat) or
//   the parcel's waybill (a seller confirming the shipment).
// params:
//   - {name: hours, type: integer, default: 48, help: Parcel sent within this many hours after the payment}
//   - {name: since, type: datetime, default: null, help: Only payments at or after this time}
//   - {name: until, type: datetime, default: null, help: Only payments before this time}
//   - {name: limit, type: integer, default: 100, help: Maximum number of sequences}
// columns: [buyer, seller, shipper, seller_ships, paid_at, amount, sent_at, hours_between, payment, parcel, payer_account, payee_account, buyer_phone, shipper_phone, chats]
// draw: {nodes: [buyer, seller, shipper, payer_account, payee_account, parcel, buyer_phone, shipper_phone, chats], relationships: [payment]}
// heavy: true
MATCH (payer:Account)-[payment:TRANSFERRED]->(payee:Account)
WHERE ($since IS NULL OR payment.at >= $since) AND ($until IS NULL OR payment.at < $until)
MATCH (payer)<-[:HAS_ACCOUNT]-(buyer:Person)-[:HAS_PHONE]->(buyer_phone:Phone)<-[:RECEIVED_BY]-(parcel:Parcel)
      <-[sent:SENT]-(shipper_phone:Phone)
WITH buyer, payment, parcel, payer, payee, buyer_phone, shipper_phone, coalesce(sent.at, parcel.sent_at) AS sent_at
WHERE sent_at >= payment.at AND sent_at <= payment.at + duration({hours: $hours})
OPTIONAL MATCH (payee)<-[:HAS_ACCOUNT]-(seller:Person)
OPTIONAL MATCH (shipper_phone)<-[:HAS_PHONE]-(shipper:Person)
WITH buyer, payment, parcel, payer, payee, buyer_phone, shipper_phone, sent_at,
     head(collect(DISTINCT seller)) AS seller, head(collect(DISTINCT shipper)) AS shipper
CALL (payee, parcel) {
  OPTIONAL MATCH (said:Post|Message)-[:MENTIONS]->(named) WHERE named = payee OR named = parcel
  RETURN collect(DISTINCT said) AS chats
}
RETURN buyer, seller, shipper, seller IS NOT NULL AND seller = shipper AS seller_ships,
       payment.at AS paid_at, payment.amount AS amount, sent_at,
       round(duration.inSeconds(payment.at, sent_at).seconds / 3600.0, 1) AS hours_between,
       payment, parcel, payer AS payer_account, payee AS payee_account, buyer_phone, shipper_phone, chats
ORDER BY paid_at, sent_at
LIMIT $limit
