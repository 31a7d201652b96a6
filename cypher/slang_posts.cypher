// title: Posts with drug slang
// category: Online
// description: >
//   Posts on sites and group chats flagged by the slang lexicon, newest first, with the handle that
//   posted them, the site, the terms found and the phones and accounts they advertise.
// params:
//   - {name: term, type: string, default: null, help: Only posts whose slang terms include this one}
//   - {name: limit, type: integer, default: 100, help: Maximum number of posts}
// columns: [posted_at, site_name, handle_id, terms, text, contacts, post, site, handle, mentioned]
// draw: {nodes: [post, site, handle, mentioned]}
MATCH (post:Post)
WHERE post.slang = true AND ($term IS NULL OR $term IN coalesce(post.slang_terms, []))
WITH post ORDER BY post.posted_at DESC LIMIT $limit
OPTIONAL MATCH (post)-[:POSTED_ON]->(site:Site)
OPTIONAL MATCH (handle:Account)-[:POSTED]->(post)
CALL (post) {
  OPTIONAL MATCH (post)-[:MENTIONS]->(m)
  RETURN collect(m) AS mentioned
}
RETURN post.posted_at AS posted_at, coalesce(site.name, site.site_id) AS site_name, handle.account_id AS handle_id,
       post.slang_terms AS terms, post.text AS text,
       [m IN mentioned | toString(coalesce(m.number, m.account_id))] AS contacts, post, site, handle, mentioned
ORDER BY posted_at DESC
