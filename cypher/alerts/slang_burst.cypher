// title: Burst of slang posts from one account
// category: Alerts
// description: >
//   Among the posts this load added, one account posted at least `min_posts` posts flagged by the slang
//   lexicon within `window_hours`. One alert per account and day the burst starts.
// params:
//   - {name: load_id, type: string, help: "The load (sha256:mapping) whose additions are checked", example: "0000:posts"}
//   - {name: min_posts, type: integer, default: 4, help: Slang posts that make a burst}
//   - {name: window_hours, type: integer, default: 6, help: Within this many hours}
// columns: [evidence, rings, summary, sources]
MATCH (load:Load {load_id: $load_id})
// From the posts the load created (an index seek), not from every slang post.
CALL (load) {
  MATCH (h:Account)-[r:POSTED]->(post:Post) USING INDEX SEEK r:POSTED(load_id)
  WHERE r.load_id = $load_id
  RETURN h, r, post
}
WITH load, h, r, post
WHERE post.slang = true AND post.posted_at IS NOT NULL
WITH load, h, post, r ORDER BY post.posted_at
WITH load, h, collect(post.posted_at) AS times, collect(r.load_id + '#' + toString(r.row)) AS tags
WHERE size(times) >= $min_posts
// The first post that opens a window holding enough slang posts.
WITH load, h, times, tags,
     [i IN range(0, size(times) - 1)
      WHERE size([t IN times[i..] WHERE t <= times[i] + duration({hours: $window_hours})]) >= $min_posts] AS starts
WHERE size(starts) > 0
WITH h, times, tags, starts[0] AS first
WITH h, times[first] AS opened,
     [i IN range(first, size(times) - 1) WHERE times[i] <= times[first] + duration({hours: $window_hours})] AS burst, tags
OPTIONAL MATCH (h)<-[:HAS_ACCOUNT]-(holder:Person)
WITH h, opened, burst, tags, collect(DISTINCT holder.ring_id) AS rings
RETURN [h.account_id, toString(date(opened))] AS evidence,
       rings,
       {account: h.account_id, posts: size(burst), hours: $window_hours, since: toString(opened)} AS summary,
       [i IN burst | tags[i]][..20] AS sources
