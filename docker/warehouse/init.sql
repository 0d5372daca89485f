-- Sample warehouse model for the flow definitions in templates/reverse-etl (run by the postgres image on first start).
CREATE TABLE customers (
    customer_id     BIGINT PRIMARY KEY,
    email           TEXT NOT NULL,
    first_name      TEXT,
    last_name       TEXT,
    phone           TEXT,
    lifecycle_stage TEXT,
    mailing_city    TEXT,
    plan            TEXT,
    lifetime_value  NUMERIC(12, 2),
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()
);

INSERT INTO customers (customer_id, email, first_name, last_name, phone, lifecycle_stage, mailing_city, plan, lifetime_value)
SELECT id,
       'customer' || id || '@example.com',
       'First' || (id % 9973),
       'Last' || (id % 7919),
       '+1 415 555 ' || lpad((id % 10000)::text, 4, '0'),
       (ARRAY['subscriber', 'lead', 'customer'])[(id % 3) + 1],
       'City' || (id % 541),
       CASE WHEN id % 3 = 0 THEN 'pro' ELSE 'free' END,
       ((id * 37) % 100000) / 100.0
FROM generate_series(1, 5000) AS id;

-- the model of templates/reverse-etl/warehouse-enrich-hubspot-contacts.json
CREATE VIEW customer_metrics AS
SELECT customer_id, email, plan, lifetime_value FROM customers;
