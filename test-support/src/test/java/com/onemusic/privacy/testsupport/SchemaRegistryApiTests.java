package com.onemusic.privacy.testsupport;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.onemusic.privacy.testsupport.RegistryHttp.Answer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The registry's REST API, endpoint by endpoint, as a client written against Confluent's
 * registry sees it: paths, bodies, content type and error codes.
 */
class SchemaRegistryApiTests {

	/**
	 * Schemas of this test instance alone, so that ids are not shared with other tests.
	 */
	private final String namespace = "test.n" + UUID.randomUUID().toString().replace("-", "");

	private final String pingV1 = "{\"type\":\"record\",\"name\":\"Ping\",\"namespace\":\"" + this.namespace
			+ "\",\"fields\":[{\"name\":\"n\",\"type\":\"int\"}]}";

	private final String pingV2 = "{\"type\":\"record\",\"name\":\"Ping\",\"namespace\":\"" + this.namespace
			+ "\",\"fields\":[{\"name\":\"n\",\"type\":\"int\"},{\"name\":\"note\",\"type\":\"string\",\"default\":\"\"}]}";

	private final String pingBreaking = "{\"type\":\"record\",\"name\":\"Ping\",\"namespace\":\"" + this.namespace
			+ "\",\"fields\":[{\"name\":\"n\",\"type\":\"int\"},{\"name\":\"required\",\"type\":\"string\"}]}";

	private final RegistryHttp http = new RegistryHttp(TestInfrastructure.get().registryUrl());

	@Test
	void registeringAnswersAnIdInTheRegistryMediaType() {
		Answer answer = this.http.register(subject(), pingV1);
		assertThat(answer.status()).isEqualTo(200);
		assertThat(answer.contentType()).isEqualTo(RegistryHttp.CONTENT_TYPE);
		assertThat(answer.id()).isPositive();
	}

	@Test
	void theSameSchemaGetsTheSameIdUnderAnotherSubjectAndNoNewVersion() {
		String first = subject();
		String second = subject();
		int id = this.http.register(first, pingV1).id();
		assertThat(this.http.register(second, pingV1).id()).isEqualTo(id);
		assertThat(this.http.register(first, pingV1).id()).isEqualTo(id);
		assertThat(this.http.get("/subjects/" + first + "/versions").body()).isEqualTo("[1]");
		assertThat(this.http.get("/schemas/ids/" + id + "/subjects").json()).hasSize(2);
	}

	@Test
	void aSchemaIsFoundByIdInCanonicalForm() {
		int id = this.http
			.register(subject(),
					"{ \"type\": \"record\", \"name\": \"Ping\", \"namespace\": \"" + this.namespace + "\",\n"
							+ "  \"fields\": [ {\"name\": \"n\", \"type\": \"int\"} ] }")
			.id();
		Answer answer = this.http.get("/schemas/ids/" + id);
		assertThat(answer.status()).isEqualTo(200);
		assertThat(answer.json().path("schema").asText()).isEqualTo(pingV1);
		assertThat(this.http.get("/schemas/ids/" + id + "/schema").body()).isEqualTo(pingV1);
	}

	@Test
	void anUnknownIdIs40403() {
		Answer answer = this.http.get("/schemas/ids/987654");
		assertThat(answer.status()).isEqualTo(404);
		assertThat(answer.errorCode()).isEqualTo(40403);
		assertThat(answer.json().path("message").asText()).isNotBlank();
	}

	@Test
	void subjectsAndVersionsAreListed() {
		String subject = subject();
		this.http.register(subject, pingV1);
		int second = this.http.register(subject, pingV2).id();
		assertThat(this.http.get("/subjects").json().toString()).contains("\"" + subject + "\"");
		assertThat(this.http.get("/subjects/" + subject + "/versions").body()).isEqualTo("[1,2]");
		Answer latest = this.http.get("/subjects/" + subject + "/versions/latest");
		assertThat(latest.json().path("version").asInt()).isEqualTo(2);
		assertThat(latest.json().path("id").asInt()).isEqualTo(second);
		assertThat(latest.json().path("subject").asText()).isEqualTo(subject);
		assertThat(latest.json().path("schema").asText()).isEqualTo(pingV2);
		assertThat(this.http.get("/subjects/" + subject + "/versions/1").json().path("schema").asText())
			.isEqualTo(pingV1);
		assertThat(this.http.get("/subjects/" + subject + "/versions/-1").json().path("version").asInt()).isEqualTo(2);
		assertThat(this.http.get("/subjects/" + subject + "/versions/2/schema").body()).isEqualTo(pingV2);
	}

	@Test
	void unknownSubjectVersionAndMalformedVersionHaveTheirCodes() {
		String subject = subject();
		assertThat(this.http.get("/subjects/" + subject + "/versions").errorCode()).isEqualTo(40401);
		assertThat(this.http.get("/subjects/" + subject + "/versions/1").errorCode()).isEqualTo(40401);
		this.http.register(subject, pingV1);
		Answer missing = this.http.get("/subjects/" + subject + "/versions/7");
		assertThat(missing.status()).isEqualTo(404);
		assertThat(missing.errorCode()).isEqualTo(40402);
		Answer malformed = this.http.get("/subjects/" + subject + "/versions/zero");
		assertThat(malformed.status()).isEqualTo(422);
		assertThat(malformed.errorCode()).isEqualTo(42202);
		assertThat(this.http.get("/subjects/" + subject + "/versions/0").errorCode()).isEqualTo(42202);
	}

	@Test
	void lookupFindsARegisteredSchemaAndNamesWhatIsMissing() {
		String subject = subject();
		int id = this.http.register(subject, pingV1).id();
		Answer found = this.http.post("/subjects/" + subject, RegistryHttp.schemaBody(pingV1));
		assertThat(found.status()).isEqualTo(200);
		assertThat(found.json().path("id").asInt()).isEqualTo(id);
		assertThat(found.json().path("version").asInt()).isEqualTo(1);
		Answer unknownSchema = this.http.post("/subjects/" + subject, RegistryHttp.schemaBody(pingV2));
		assertThat(unknownSchema.status()).isEqualTo(404);
		assertThat(unknownSchema.errorCode()).isEqualTo(40403);
		Answer unknownSubject = this.http.post("/subjects/" + subject(), RegistryHttp.schemaBody(pingV1));
		assertThat(unknownSubject.status()).isEqualTo(404);
		assertThat(unknownSubject.errorCode()).isEqualTo(40401);
	}

	@Test
	void anIncompatibleEvolutionIs409AndRegistersNothing() {
		String subject = subject();
		this.http.register(subject, pingV1);
		Answer answer = this.http.register(subject, pingBreaking);
		assertThat(answer.status()).isEqualTo(409);
		assertThat(answer.errorCode()).isEqualTo(409);
		assertThat(answer.json().path("message").asText()).contains("READER_FIELD_MISSING_DEFAULT");
		assertThat(this.http.get("/subjects/" + subject + "/versions").body()).isEqualTo("[1]");
	}

	@Test
	void compatibilityCanBeAskedWithoutRegistering() {
		String subject = subject();
		this.http.register(subject, pingV1);
		Answer compatible = this.http.post("/compatibility/subjects/" + subject + "/versions/latest",
				RegistryHttp.schemaBody(pingV2));
		assertThat(compatible.status()).isEqualTo(200);
		assertThat(compatible.json().path("is_compatible").asBoolean()).isTrue();
		Answer incompatible = this.http.post("/compatibility/subjects/" + subject + "/versions/1?verbose=true",
				RegistryHttp.schemaBody(pingBreaking));
		assertThat(incompatible.json().path("is_compatible").asBoolean()).isFalse();
		assertThat(incompatible.json().path("messages").toString()).contains("required");
		assertThat(this.http
			.post("/compatibility/subjects/" + subject + "/versions", RegistryHttp.schemaBody(pingBreaking))
			.json()
			.path("is_compatible")
			.asBoolean()).isFalse();
		assertThat(this.http.get("/subjects/" + subject + "/versions").body()).isEqualTo("[1]");
	}

	@Test
	void invalidSchemaTextIs42201AndMalformedJsonIs400() {
		String subject = subject();
		Answer invalid = this.http.register(subject, "{\"type\":\"record\",\"name\":\"NoFields\"}");
		assertThat(invalid.status()).isEqualTo(422);
		assertThat(invalid.errorCode()).isEqualTo(42201);
		Answer notAvro = this.http.register(subject, "this is not a schema");
		assertThat(notAvro.errorCode()).isEqualTo(42201);
		Answer unknownType = this.http.post("/subjects/" + subject + "/versions",
				"{\"schemaType\":\"PROTOBUF\",\"schema\":\"syntax = \\\"proto3\\\";\"}");
		assertThat(unknownType.errorCode()).isEqualTo(42201);
		Answer malformed = this.http.post("/subjects/" + subject + "/versions", "{\"schema\": ");
		assertThat(malformed.status()).isEqualTo(400);
		assertThat(malformed.errorCode()).isEqualTo(400);
		assertThat(this.http.get("/subjects/" + subject + "/versions").errorCode()).isEqualTo(40401);
	}

	@Test
	void subjectLevelConfigOverridesTheGlobalOne() {
		String subject = subject();
		assertThat(this.http.get("/config").json().path("compatibilityLevel").asText()).isEqualTo("BACKWARD");
		Answer unset = this.http.get("/config/" + subject);
		assertThat(unset.status()).isEqualTo(404);
		assertThat(unset.errorCode()).isEqualTo(40408);
		assertThat(this.http.get("/config/" + subject + "?defaultToGlobal=true")
			.json()
			.path("compatibilityLevel")
			.asText()).isEqualTo("BACKWARD");
		Answer put = this.http.put("/config/" + subject, "{\"compatibility\":\"NONE\"}");
		assertThat(put.status()).isEqualTo(200);
		assertThat(put.json().path("compatibility").asText()).isEqualTo("NONE");
		assertThat(this.http.get("/config/" + subject).json().path("compatibilityLevel").asText()).isEqualTo("NONE");
		this.http.register(subject, pingV1);
		assertThat(this.http.register(subject, pingBreaking).status()).isEqualTo(200);
		Answer removed = this.http.delete("/config/" + subject);
		assertThat(removed.json().path("compatibilityLevel").asText()).isEqualTo("NONE");
		assertThat(this.http.get("/config/" + subject).errorCode()).isEqualTo(40408);
	}

	@Test
	void anUnknownCompatibilityLevelIs42203() {
		Answer answer = this.http.put("/config/" + subject(), "{\"compatibility\":\"SIDEWAYS\"}");
		assertThat(answer.status()).isEqualTo(422);
		assertThat(answer.errorCode()).isEqualTo(42203);
	}

	@Test
	void softThenPermanentDeleteOfASubject() {
		String subject = subject();
		int id = this.http.register(subject, pingV1).id();
		this.http.register(subject, pingV2);
		Answer permanentFirst = this.http.delete("/subjects/" + subject + "?permanent=true");
		assertThat(permanentFirst.errorCode()).isEqualTo(40405);
		Answer soft = this.http.delete("/subjects/" + subject);
		assertThat(soft.status()).isEqualTo(200);
		assertThat(soft.body()).isEqualTo("[1,2]");
		assertThat(this.http.get("/subjects/" + subject + "/versions").errorCode()).isEqualTo(40401);
		assertThat(this.http.get("/subjects/" + subject + "/versions?deleted=true").body()).isEqualTo("[1,2]");
		assertThat(this.http.get("/subjects").body()).doesNotContain("\"" + subject + "\"");
		assertThat(this.http.get("/subjects?deleted=true").body()).contains("\"" + subject + "\"");
		assertThat(this.http.delete("/subjects/" + subject).errorCode()).isEqualTo(40404);
		Answer permanent = this.http.delete("/subjects/" + subject + "?permanent=true");
		assertThat(permanent.status()).isEqualTo(200);
		assertThat(permanent.body()).isEqualTo("[1,2]");
		assertThat(this.http.get("/subjects/" + subject + "/versions?deleted=true").errorCode()).isEqualTo(40401);
		assertThat(this.http.get("/schemas/ids/" + id).errorCode()).isEqualTo(40403);
	}

	@Test
	void softThenPermanentDeleteOfAVersion() {
		String subject = subject();
		this.http.register(subject, pingV1);
		this.http.register(subject, pingV2);
		assertThat(this.http.delete("/subjects/" + subject + "/versions/1?permanent=true").errorCode())
			.isEqualTo(40407);
		assertThat(this.http.delete("/subjects/" + subject + "/versions/1").body()).isEqualTo("1");
		assertThat(this.http.delete("/subjects/" + subject + "/versions/1").errorCode()).isEqualTo(40406);
		assertThat(this.http.get("/subjects/" + subject + "/versions").body()).isEqualTo("[2]");
		assertThat(this.http.get("/subjects/" + subject + "/versions/1").errorCode()).isEqualTo(40402);
		assertThat(this.http.get("/subjects/" + subject + "/versions/1?deleted=true").status()).isEqualTo(200);
		assertThat(this.http.delete("/subjects/" + subject + "/versions/1?permanent=true").body()).isEqualTo("1");
		assertThat(this.http.get("/subjects/" + subject + "/versions?deleted=true").body()).isEqualTo("[2]");
	}

	@Test
	void unknownPathsAndMethodsAreAnswered() {
		assertThat(this.http.get("/nothing-here").status()).isEqualTo(404);
		assertThat(this.http.put("/subjects", "{}").status()).isEqualTo(405);
		assertThat(this.http.get("/").status()).isEqualTo(200);
		assertThat(this.http.get("/schemas/types").body()).isEqualTo("[\"AVRO\"]");
	}

	@Test
	void subjectNamesWithReservedCharactersRoundTrip() {
		String subject = "com.example.Event%2Fwith%20space-" + UUID.randomUUID();
		int id = this.http.register(subject, pingV1).id();
		assertThat(this.http.get("/subjects").json().toString()).contains("com.example.Event/with space-");
		assertThat(this.http.get("/subjects/" + subject + "/versions/1").id()).isEqualTo(id);
	}

	static String subject() {
		return "test-" + UUID.randomUUID() + "-value";
	}

}
