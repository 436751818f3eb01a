package com.onemusic.privacy.serde;

import org.apache.avro.Schema;

/**
 * A schema as registered under a subject.
 *
 * @param subject the subject
 * @param version the version within the subject
 * @param id the registry-wide schema id
 * @param schema the parsed schema
 */
public record RegisteredSchema(String subject, int version, int id, Schema schema) {

}
