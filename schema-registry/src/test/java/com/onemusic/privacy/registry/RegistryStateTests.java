package com.onemusic.privacy.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The log-order rules that let several registries share one topic: the first claim wins,
 * a conflicting later claim changes nothing, and removing the loser leaves the winner.
 */
class RegistryStateTests {

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final String A = "{\"type\":\"record\",\"name\":\"A\",\"fields\":[]}";

	private static final String B = "{\"type\":\"record\",\"name\":\"B\",\"fields\":[]}";

	private final RegistryState state = new RegistryState(CompatibilityLevel.BACKWARD);

	@Test
	void theFirstClaimOnAVersionWins() {
		apply(key("s", 1, 1, "a"), value("s", 1, 1, A));
		apply(key("s", 1, 2, "b"), value("s", 1, 2, B));
		assertThat(this.state.versions("s")).singleElement()
			.satisfies((version) -> assertThat(version.id()).isEqualTo(1));
		assertThat(this.state.schema(2)).isEmpty();
	}

	@Test
	void anIdAlreadyBoundToAnotherSchemaIsNotReused() {
		apply(key("s", 1, 1, "a"), value("s", 1, 1, A));
		apply(key("t", 1, 1, "b"), value("t", 1, 1, B));
		assertThat(this.state.versions("t")).isEmpty();
		assertThat(this.state.schema(1)).hasValueSatisfying((schema) -> assertThat(schema.canonical()).isEqualTo(A));
	}

	@Test
	void aSchemaKeepsItsFirstId() {
		apply(key("s", 1, 1, "a"), value("s", 1, 1, A));
		apply(key("t", 1, 2, "a"), value("t", 1, 2, A));
		assertThat(this.state.versions("t")).isEmpty();
		assertThat(this.state.idOf(A)).contains(1);
	}

	@Test
	void aTombstonedLoserLeavesTheWinner() {
		String winner = key("s", 1, 1, "a");
		String loser = key("s", 1, 2, "b");
		apply(winner, value("s", 1, 1, A));
		apply(loser, value("s", 1, 2, B));
		apply(loser, null);
		assertThat(this.state.versions("s")).singleElement()
			.satisfies((version) -> assertThat(version.recordKey()).isEqualTo(winner));
		assertThat(this.state.keys("s", null)).containsExactly(winner);
	}

	@Test
	void aSoftDeleteMarksAndAPermanentDeleteRemoves() {
		String schemaKey = key("s", 1, 1, "a");
		String deleteKey = "{\"keytype\":\"DELETE_VERSION\",\"subject\":\"s\",\"version\":1}";
		apply(schemaKey, value("s", 1, 1, A));
		apply(deleteKey, "{\"subject\":\"s\",\"version\":1}");
		assertThat(this.state.versions("s")).singleElement()
			.satisfies((version) -> assertThat(version.deleted()).isTrue());
		assertThat(this.state.subjects(false)).isEmpty();
		assertThat(this.state.subjects(true)).containsExactly("s");
		apply(schemaKey, null);
		apply(deleteKey, null);
		assertThat(this.state.versions("s")).isEmpty();
		assertThat(this.state.schema(1)).isEmpty();
		assertThat(this.state.keys("s", null)).isEmpty();
	}

	@Test
	void configRecordsSetAndResetLevels() {
		apply("{\"keytype\":\"CONFIG\",\"subject\":null}", "{\"compatibilityLevel\":\"FULL\"}");
		apply("{\"keytype\":\"CONFIG\",\"subject\":\"s\"}", "{\"compatibilityLevel\":\"NONE\"}");
		assertThat(this.state.globalLevel()).isEqualTo(CompatibilityLevel.FULL);
		assertThat(this.state.effectiveLevel("s")).isEqualTo(CompatibilityLevel.NONE);
		assertThat(this.state.effectiveLevel("t")).isEqualTo(CompatibilityLevel.FULL);
		apply("{\"keytype\":\"CONFIG\",\"subject\":\"s\"}", null);
		apply("{\"keytype\":\"CONFIG\",\"subject\":null}", null);
		assertThat(this.state.effectiveLevel("s")).isEqualTo(CompatibilityLevel.BACKWARD);
	}

	@Test
	void unknownRecordKindsAreSkipped() {
		apply("{\"keytype\":\"MODE\",\"subject\":null}", "{\"mode\":\"READONLY\"}");
		assertThat(this.state.subjects(true)).isEmpty();
	}

	private void apply(String key, String value) {
		try {
			JsonNode parsedValue = (value != null) ? JSON.readTree(value) : null;
			this.state.apply(key, JSON.readTree(key), parsedValue);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String key(String subject, int version, int id, String fingerprint) {
		return "{\"keytype\":\"SCHEMA\",\"subject\":\"" + subject + "\",\"version\":" + version + ",\"id\":" + id
				+ ",\"fingerprint\":\"" + fingerprint + "\"}";
	}

	private static String value(String subject, int version, int id, String schema) {
		return JSON.createObjectNode()
			.put("subject", subject)
			.put("version", version)
			.put("id", id)
			.put("schema", schema)
			.toString();
	}

}
