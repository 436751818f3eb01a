package com.onemusic.privacy.platform.json;

import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.core.util.BufferRecycler;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class PlatformJacksonConfigurationTests {

	private final ApplicationContextRunner context = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, PlatformJacksonConfiguration.class))
		.withPropertyValues("spring.jackson.deserialization.fail-on-unknown-properties=true");

	/**
	 * A recycler taken and never released, as Spring's JSON encoder does, is the one the
	 * thread gets next time: its buffers are used again.
	 */
	@Test
	void theMapperRecyclesBuffersPerThreadEvenWhenTheyAreNotReleased() {
		this.context.run((context) -> {
			JsonMapper mapper = context.getBean(JsonMapper.class);
			BufferRecycler first = mapper.tokenStreamFactory()._getBufferRecycler();
			BufferRecycler second = mapper.tokenStreamFactory()._getBufferRecycler();
			assertThat(second).isSameAs(first);
		});
	}

	@Test
	void springBootsSettingsStillApply() {
		this.context.run((context) -> {
			JsonMapper mapper = context.getBean(JsonMapper.class);
			assertThat(mapper.isEnabled(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)).isTrue();
			assertThatExceptionOfType(UnrecognizedPropertyException.class)
				.isThrownBy(() -> mapper.readValue("{\"unknown\":1}", Known.class));
			assertThat(mapper.writeValueAsString(Map.of("a", 1))).isEqualTo("{\"a\":1}");
		});
	}

	record Known(String name) {

	}

}
