package com.onemusic.privacy.serde;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.avro.Schema;

/**
 * A registry that lives in memory, for unit tests of the serde: ids are assigned from a
 * chosen start and every call is counted.
 */
class InMemorySchemaRegistryClient implements SchemaRegistryClient {

	private final Map<Integer, Schema> byId = new HashMap<>();

	private final Map<Schema, Integer> ids = new HashMap<>();

	private final Map<String, List<Schema>> subjects = new HashMap<>();

	private final AtomicInteger nextId;

	final AtomicInteger calls = new AtomicInteger();

	InMemorySchemaRegistryClient(int firstId) {
		this.nextId = new AtomicInteger(firstId);
	}

	@Override
	public synchronized int register(String subject, Schema schema) {
		this.calls.incrementAndGet();
		int id = this.ids.computeIfAbsent(schema, (key) -> this.nextId.getAndIncrement());
		this.byId.put(id, schema);
		List<Schema> versions = this.subjects.computeIfAbsent(subject, (key) -> new ArrayList<>());
		if (!versions.contains(schema)) {
			versions.add(schema);
		}
		return id;
	}

	@Override
	public synchronized int lookup(String subject, Schema schema) {
		this.calls.incrementAndGet();
		if (!this.subjects.getOrDefault(subject, List.of()).contains(schema)) {
			throw new SchemaRegistryException("Schema not found", 404, 40403, null);
		}
		return this.ids.get(schema);
	}

	@Override
	public synchronized Schema schemaById(int id) {
		this.calls.incrementAndGet();
		Schema schema = this.byId.get(id);
		if (schema == null) {
			throw new SchemaRegistryException("Schema " + id + " not found", 404, 40403, null);
		}
		return schema;
	}

	@Override
	public synchronized RegisteredSchema latest(String subject) {
		this.calls.incrementAndGet();
		List<Schema> versions = this.subjects.get(subject);
		if (versions == null) {
			throw new SchemaRegistryException("Subject not found", 404, 40401, null);
		}
		Schema schema = versions.get(versions.size() - 1);
		return new RegisteredSchema(subject, versions.size(), this.ids.get(schema), schema);
	}

	synchronized List<String> subjects() {
		return List.copyOf(this.subjects.keySet());
	}

}
