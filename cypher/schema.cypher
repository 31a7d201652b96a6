// Every constraint and index of the graph. Applied idempotently before any
// load (`Graph.apply_schema`, `python -m loaders schema`). See docs/model.md.
// Generated from explorer/model.py: `python -m explorer.model > cypher/schema.cypher`.

// One unique key per node label: every load MERGEs on these.
CREATE CONSTRAINT person_id IF NOT EXISTS FOR (n:Person) REQUIRE n.person_id IS UNIQUE;
CREATE CONSTRAINT phone_number IF NOT EXISTS FOR (n:Phone) REQUIRE n.number IS UNIQUE;
CREATE CONSTRAINT account_id IF NOT EXISTS FOR (n:Account) REQUIRE n.account_id IS UNIQUE;
CREATE CONSTRAINT parcel_waybill IF NOT EXISTS FOR (n:Parcel) REQUIRE n.waybill IS UNIQUE;
CREATE CONSTRAINT address_id IF NOT EXISTS FOR (n:Address) REQUIRE n.address_id IS UNIQUE;
CREATE CONSTRAINT site_id IF NOT EXISTS FOR (n:Site) REQUIRE n.site_id IS UNIQUE;
CREATE CONSTRAINT post_id IF NOT EXISTS FOR (n:Post) REQUIRE n.post_id IS UNIQUE;
CREATE CONSTRAINT message_id IF NOT EXISTS FOR (n:Message) REQUIRE n.message_id IS UNIQUE;
CREATE CONSTRAINT device_imei IF NOT EXISTS FOR (n:Device) REQUIRE n.imei IS UNIQUE;
CREATE CONSTRAINT ip_address IF NOT EXISTS FOR (n:IPAddress) REQUIRE n.ip IS UNIQUE;
CREATE CONSTRAINT case_id IF NOT EXISTS FOR (n:Case) REQUIRE n.case_id IS UNIQUE;
CREATE CONSTRAINT gathering_id IF NOT EXISTS FOR (n:Gathering) REQUIRE n.gathering_id IS UNIQUE;
CREATE CONSTRAINT load_id IF NOT EXISTS FOR (n:Load) REQUIRE n.load_id IS UNIQUE;
CREATE CONSTRAINT ring_id IF NOT EXISTS FOR (n:Ring) REQUIRE n.ring_id IS UNIQUE;
CREATE CONSTRAINT analytics_run_id IF NOT EXISTS FOR (n:AnalyticsRun) REQUIRE n.run_id IS UNIQUE;

// Events keep a deterministic event_id so a reloaded row meets its first copy.
CREATE CONSTRAINT called_event IF NOT EXISTS FOR ()-[r:CALLED]-() REQUIRE r.event_id IS UNIQUE;
CREATE CONSTRAINT messaged_event IF NOT EXISTS FOR ()-[r:MESSAGED]-() REQUIRE r.event_id IS UNIQUE;
CREATE CONSTRAINT messaged_in_event IF NOT EXISTS FOR ()-[r:MESSAGED_IN]-() REQUIRE r.event_id IS UNIQUE;
CREATE CONSTRAINT transferred_event IF NOT EXISTS FOR ()-[r:TRANSFERRED]-() REQUIRE r.event_id IS UNIQUE;
CREATE CONSTRAINT logged_in_event IF NOT EXISTS FOR ()-[r:LOGGED_IN]-() REQUIRE r.event_id IS UNIQUE;

// Lookups analysts make by something other than the key.
CREATE INDEX person_name IF NOT EXISTS FOR (n:Person) ON (n.name);
CREATE INDEX person_id_number IF NOT EXISTS FOR (n:Person) ON (n.id_number);
CREATE INDEX person_ring IF NOT EXISTS FOR (n:Person) ON (n.ring_id);
CREATE INDEX account_handle IF NOT EXISTS FOR (n:Account) ON (n.handle);
CREATE INDEX load_sha256 IF NOT EXISTS FOR (n:Load) ON (n.sha256);
CREATE INDEX called_at IF NOT EXISTS FOR ()-[r:CALLED]-() ON (r.at);
CREATE INDEX transferred_at IF NOT EXISTS FOR ()-[r:TRANSFERRED]-() ON (r.at);
CREATE INDEX called_load IF NOT EXISTS FOR ()-[r:CALLED]-() ON (r.load_id);
CREATE INDEX messaged_load IF NOT EXISTS FOR ()-[r:MESSAGED]-() ON (r.load_id);
CREATE INDEX transferred_load IF NOT EXISTS FOR ()-[r:TRANSFERRED]-() ON (r.load_id);
CREATE INDEX has_contact_load IF NOT EXISTS FOR ()-[r:HAS_CONTACT]-() ON (r.load_id);
CREATE INDEX delivered_to_load IF NOT EXISTS FOR ()-[r:DELIVERED_TO]-() ON (r.load_id);
CREATE INDEX posted_load IF NOT EXISTS FOR ()-[r:POSTED]-() ON (r.load_id);
CREATE FULLTEXT INDEX identifier_search IF NOT EXISTS
FOR (n:Person|Phone|Account|Parcel|Address|Site|Device|IPAddress|Case)
ON EACH [n.name, n.number, n.handle, n.account_id, n.waybill, n.text, n.imei, n.ip, n.case_id, n.title];

// Written back by the network analytics (explorer.analytics) and read by the investigations.
CREATE INDEX person_intermediary IF NOT EXISTS FOR (n:Person) ON (n.intermediary_score);
CREATE INDEX phone_intermediary IF NOT EXISTS FOR (n:Phone) ON (n.intermediary_score);
CREATE INDEX account_intermediary IF NOT EXISTS FOR (n:Account) ON (n.intermediary_score);
CREATE INDEX person_brokerage IF NOT EXISTS FOR (n:Person) ON (n.brokerage);
CREATE INDEX phone_brokerage IF NOT EXISTS FOR (n:Phone) ON (n.brokerage);
CREATE INDEX account_brokerage IF NOT EXISTS FOR (n:Account) ON (n.brokerage);
CREATE INDEX person_betweenness IF NOT EXISTS FOR (n:Person) ON (n.betweenness);
CREATE INDEX phone_betweenness IF NOT EXISTS FOR (n:Phone) ON (n.betweenness);
CREATE INDEX account_betweenness IF NOT EXISTS FOR (n:Account) ON (n.betweenness);
CREATE INDEX person_brokerage_weight IF NOT EXISTS FOR (n:Person) ON (n.brokerage_weight);
CREATE INDEX phone_brokerage_weight IF NOT EXISTS FOR (n:Phone) ON (n.brokerage_weight);
CREATE INDEX account_brokerage_weight IF NOT EXISTS FOR (n:Account) ON (n.brokerage_weight);
CREATE INDEX person_intermediary_rank IF NOT EXISTS FOR (n:Person) ON (n.intermediary_rank);
CREATE INDEX phone_intermediary_rank IF NOT EXISTS FOR (n:Phone) ON (n.intermediary_rank);
CREATE INDEX account_intermediary_rank IF NOT EXISTS FOR (n:Account) ON (n.intermediary_rank);
CREATE INDEX person_betweenness_weighted IF NOT EXISTS FOR (n:Person) ON (n.betweenness_weighted);
CREATE INDEX phone_betweenness_weighted IF NOT EXISTS FOR (n:Phone) ON (n.betweenness_weighted);
CREATE INDEX account_betweenness_weighted IF NOT EXISTS FOR (n:Account) ON (n.betweenness_weighted);
CREATE INDEX ring_size IF NOT EXISTS FOR (n:Ring) ON (n.size);
CREATE INDEX post_slang IF NOT EXISTS FOR (n:Post) ON (n.slang);
CREATE INDEX message_slang IF NOT EXISTS FOR (n:Message) ON (n.slang);
CREATE INDEX analytics_run_started IF NOT EXISTS FOR (n:AnalyticsRun) ON (n.started_at);

// Labels of Neo4j's POLE example (mapping `pole`, docs/mappings.md) that our
// model has no label for: keyed by the export's own :ID (as text).
CREATE CONSTRAINT pole_location IF NOT EXISTS FOR (n:Location) REQUIRE n.pole_id IS UNIQUE;
CREATE CONSTRAINT pole_crime IF NOT EXISTS FOR (n:Crime) REQUIRE n.pole_id IS UNIQUE;
CREATE CONSTRAINT pole_phone_call IF NOT EXISTS FOR (n:PhoneCall) REQUIRE n.pole_id IS UNIQUE;
CREATE CONSTRAINT pole_postcode IF NOT EXISTS FOR (n:PostCode) REQUIRE n.pole_id IS UNIQUE;
CREATE CONSTRAINT pole_area IF NOT EXISTS FOR (n:Area) REQUIRE n.pole_id IS UNIQUE;
CREATE CONSTRAINT pole_officer IF NOT EXISTS FOR (n:Officer) REQUIRE n.pole_id IS UNIQUE;
CREATE CONSTRAINT pole_vehicle IF NOT EXISTS FOR (n:Vehicle) REQUIRE n.pole_id IS UNIQUE;
CREATE CONSTRAINT pole_object IF NOT EXISTS FOR (n:Object) REQUIRE n.pole_id IS UNIQUE;
CREATE CONSTRAINT pole_email IF NOT EXISTS FOR (n:Email) REQUIRE n.email_address IS UNIQUE;
