package com.onemusic.privacy.registry;

import java.util.List;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class CompatibilityLevelTests {

	private static final Schema V1 = parse("[{\"name\":\"a\",\"type\":\"int\"}]");

	private static final Schema V2_OPTIONAL = parse(
			"[{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"b\",\"type\":\"int\",\"default\":0}]");

	private static final Schema V3_DROPS_A = parse("[{\"name\":\"b\",\"type\":\"int\",\"default\":0}]");

	private static final Schema REQUIRED_C = parse(
			"[{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"c\",\"type\":\"int\"}]");

	@Test
	void backwardChecksOnlyTheLatestAndTransitiveChecksAll() {
		List<Schema> history = List.of(V1, V2_OPTIONAL);
		// V3 reads V2 data (a is ignored, b present) and V1 data (b defaults).
		assertThat(CompatibilityLevel.BACKWARD.check(V3_DROPS_A, history)).isEmpty();
		assertThat(CompatibilityLevel.BACKWARD_TRANSITIVE.check(V3_DROPS_A, history)).isEmpty();
		assertThat(CompatibilityLevel.BACKWARD.check(REQUIRED_C, history)).isNotEmpty();
	}

	@Test
	void forwardMeansOldReadersReadNewData() {
		// V1 readers cannot read V3 data: V3 has no field a and V1's a has no default.
		assertThat(CompatibilityLevel.FORWARD.check(V3_DROPS_A, List.of(V1))).isNotEmpty();
		assertThat(CompatibilityLevel.BACKWARD.check(V3_DROPS_A, List.of(V1))).isEmpty();
		assertThat(CompatibilityLevel.FORWARD.check(REQUIRED_C, List.of(V1))).isEmpty();
		assertThat(CompatibilityLevel.FULL.check(REQUIRED_C, List.of(V1))).isNotEmpty();
		assertThat(CompatibilityLevel.FULL.check(V2_OPTIONAL, List.of(V1))).isEmpty();
	}

	@Test
	void transitiveCatchesABreakWithAnOlderVersionOnly() {
		Schema v2WithDefaultForA = parse("[{\"name\":\"a\",\"type\":\"int\",\"default\":0}]");
		Schema v1String = parse("[{\"name\":\"a\",\"type\":\"string\"}]");
		Schema v3NoA = parse("[]");
		// v3 (no fields) read by v2: a defaults. Read by v1: a is a string without
		// default.
		List<Schema> history = List.of(v1String, v2WithDefaultForA);
		assertThat(CompatibilityLevel.FORWARD.check(v3NoA, history)).isEmpty();
		assertThat(CompatibilityLevel.FORWARD_TRANSITIVE.check(v3NoA, history)).isNotEmpty();
		assertThat(CompatibilityLevel.NONE.check(REQUIRED_C, history)).isEmpty();
	}

	@Test
	void levelsParseCaseInsensitivelyAndUnknownOnesAre42203() {
		assertThat(CompatibilityLevel.parse("full_transitive")).isEqualTo(CompatibilityLevel.FULL_TRANSITIVE);
		assertThatExceptionOfType(RegistryException.class).isThrownBy(() -> CompatibilityLevel.parse("SIDEWAYS"))
			.satisfies((ex) -> assertThat(ex.errorCode()).isEqualTo(42203));
	}

	private static Schema parse(String fields) {
		return new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"R\",\"fields\":" + fields + "}");
	}

}
