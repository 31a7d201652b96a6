// title: Posts and chat messages with drug slang
// category: Online
// description: >
//   Posts on sites and group chats, and chat messages, flagged by the slang lexicon, newest first, with
//   the handle (or phone) that wrote them, the site or group, the terms found, the trade words found
//   near each term (`context`, for ambiguous terms such as 冰) and the phones, accounts, cards, waybills
//   and addresses they name.
// params:
//   - {name: term, type: string, default: null, help: Only texts whose slang terms include this one}
//   - {name: limit, type: integer, default: 100, help: Maximum number of posts and messages}
// columns: [posted_at, site_name, handle_id, terms, text, contacts, post, site, handle, mentioned, source, context]
// draw: {nodes: [post, site, handle, mentioned]}
CALL () {
  MATCH (post:Post)
  WHERE post.slang = true AND ($term IS NULL OR $term IN coalesce(post.slang_terms, []))
  RETURN post, post.posted_at AS posted_at, 'post' AS source
  UNION
  MATCH (post:Message)
  WHERE post.slang = true AND ($term IS NULL OR $term IN coalesce(post.slang_terms, []))
  RETURN post, post.sent_at AS posted_at, 'message' AS source
}
WITH post, posted_at, source ORDER BY posted_at DESC LIMIT $limit
OPTIONAL MATCH (post)-[:POSTED_ON|IN_GROUP]->(site:Site)
OPTIONAL MATCH (handle)-[:POSTED|WROTE]->(post)
CALL (post) {
  OPTIONAL MATCH (post)-[:MENTIONS]->(m)
  RETURN collect(m) AS mentioned
}
RETURN posted_at, coalesce(site.name, site.site_id) AS site_name, coalesce(handle.account_id, handle.number) AS handle_id,
       post.slang_terms AS terms, post.text AS text,
       [m IN mentioned | toString(coalesce(m.number, m.account_id, m.waybill, m.address_id))] AS contacts, post, site,
       handle, mentioned, source, post.slang_context AS context
ORDER BY posted_at DESC
