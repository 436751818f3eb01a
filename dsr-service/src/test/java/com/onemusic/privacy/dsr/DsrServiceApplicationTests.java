package com.onemusic.privacy.dsr;

import org.junit.jupiter.api.Test;

import com.onemusic.privacy.testsupport.ServiceContractTests;
import com.onemusic.privacy.testsupport.ServiceIntegrationTest;

/**
 * dsr-service keeps the contract every service keeps (see {@link ServiceContractTests}),
 * and documents its API with OpenAPI.
 */
@ServiceIntegrationTest(properties = "spring.config.name=" + DsrServiceApplication.NAME)
class DsrServiceApplicationTests extends ServiceContractTests {

	/**
	 * A request names its user in its body and is reached by its id; who may see it is
	 * checked per request ({@code DsrSecurityTests}).
	 */
	@Override
	protected boolean hasUserPaths() {
		return false;
	}

	@Test
	void exportsTheSlaGaugeForEveryState() {
		for (String state : new String[] { "ON_TRACK", "DUE_SOON", "OVERDUE" }) {
			this.web.get()
				.uri("/actuator/metrics/dsr.requests.open?tag=sla:{state}", state)
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.measurements[0].value")
				.isNumber();
		}
	}

	@Test
	void publishesItsOpenApiDescription() {
		this.web.get()
			.uri("/v3/api-docs")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.paths['/requests'].post")
			.exists()
			.jsonPath("$.paths['/requests'].get")
			.exists()
			.jsonPath("$.paths['/requests/{id}/verification'].post")
			.exists()
			.jsonPath("$.paths['/requests/{id}/export'].get")
			.exists()
			.jsonPath("$.paths['/requests/{id}/extension'].post")
			.exists();
	}

}
