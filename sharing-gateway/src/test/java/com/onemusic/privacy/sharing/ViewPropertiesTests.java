package com.onemusic.privacy.sharing;

import java.time.Duration;

import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The consent view's settings are checked when the service starts. */
class ViewPropertiesTests {

	private static ValidatorFactory factory;

	private static Validator validator;

	@BeforeAll
	static void validator() {
		factory = Validation.buildDefaultValidatorFactory();
		validator = factory.getValidator();
	}

	@AfterAll
	static void close() {
		factory.close();
	}

	@Test
	void maxStalenessMayBeZeroButNotNegative() {
		assertThat(validator.validate(view(Duration.ZERO))).isEmpty();
		assertThat(validator.validate(view(Duration.ofMillis(250)))).isEmpty();
		assertThat(validator.validate(view(Duration.ofMillis(-1))))
			.extracting((violation) -> violation.getPropertyPath().toString())
			.containsExactly("maxStaleness");
		assertThat(validator.validate(view(null))).extracting((violation) -> violation.getPropertyPath().toString())
			.containsExactly("maxStaleness");
	}

	private static SharingProperties.View view(Duration maxStaleness) {
		return new SharingProperties.View(Duration.ofSeconds(2), maxStaleness, Duration.ofMillis(100), 1000,
				Duration.ofSeconds(1), Duration.ofSeconds(1));
	}

}
