/**
 * Avro serialization in the Confluent wire format, configured with Confluent's property
 * names, and a Schema Registry REST client. Free of Spring: any Java backend can use it.
 */
package com.onemusic.privacy.serde;
