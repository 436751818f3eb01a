package com.onemusic.privacy.serde;

import org.apache.avro.Schema;

/**
 * The part of the Confluent Schema Registry API that serializers and deserializers need.
 * Implementations cache what never changes (an id's schema, a registered schema's id).
 */
public interface SchemaRegistryClient {

	/**
	 * Registers a schema under a subject ({@code POST /subjects/{subject}/versions}).
	 * @param subject the subject
	 * @param schema the schema
	 * @return the schema id, the same for the same schema under any subject
	 * @throws SchemaRegistryException with code 409 when the schema is incompatible
	 */
	int register(String subject, Schema schema);

	/**
	 * Looks up the id of a schema already registered under a subject ({@code POST
	 * /subjects/{subject}}).
	 * @param subject the subject
	 * @param schema the schema
	 * @return the schema id
	 * @throws SchemaRegistryException with code 40401 or 40403 when not registered
	 */
	int lookup(String subject, Schema schema);

	/**
	 * The schema with an id ({@code GET /schemas/ids/{id}}).
	 * @param id the schema id
	 * @return the schema
	 * @throws SchemaRegistryException with code 40403 when the id is unknown
	 */
	Schema schemaById(int id);

	/**
	 * The latest version under a subject ({@code GET
	 * /subjects/{subject}/versions/latest}).
	 * @param subject the subject
	 * @return the latest registered schema
	 */
	RegisteredSchema latest(String subject);

}
