package com.onemusic.privacy.consent;

import org.junit.jupiter.api.Test;

import com.onemusic.privacy.testsupport.ServiceContractTests;
import com.onemusic.privacy.testsupport.ServiceIntegrationTest;

/**
 * consent-service keeps the contract every service keeps (see
 * {@link ServiceContractTests}), and documents its API with OpenAPI.
 */
@ServiceIntegrationTest(properties = "spring.config.name=" + ConsentServiceApplication.NAME)
class ConsentServiceApplicationTests extends ServiceContractTests {

	@Test
	void publishesItsOpenApiDescription() {
		this.web.get()
			.uri("/v3/api-docs")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.paths['/users/{userId}/consents'].put")
			.exists()
			.jsonPath("$.paths['/policies/{version}/reconsent'].get")
			.exists()
			.jsonPath("$.paths['/receipts/{receiptId}'].get")
			.exists();
	}

}
