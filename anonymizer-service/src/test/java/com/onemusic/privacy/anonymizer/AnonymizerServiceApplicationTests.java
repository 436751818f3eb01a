package com.onemusic.privacy.anonymizer;

import org.junit.jupiter.api.Test;

import com.onemusic.privacy.testsupport.ServiceContractTests;
import com.onemusic.privacy.testsupport.ServiceIntegrationTest;

/**
 * anonymizer-service keeps the contract every service keeps (see
 * {@link ServiceContractTests}), and documents its API with OpenAPI.
 */
@ServiceIntegrationTest(properties = "spring.config.name=" + AnonymizerServiceApplication.NAME)
class AnonymizerServiceApplicationTests extends ServiceContractTests {

	/** The anonymizer holds no data of a named user: nothing it answers is per user. */
	@Override
	protected boolean hasUserPaths() {
		return false;
	}

	@Test
	void publishesItsOpenApiDescription() {
		this.web.get()
			.uri("/v3/api-docs")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.paths['/masking'].post")
			.exists()
			.jsonPath("$.paths['/statistics/{metric}'].get")
			.exists()
			.jsonPath("$.paths['/k-anonymity'].post")
			.exists()
			.jsonPath("$.paths['/rules'].get")
			.exists();
	}

}
