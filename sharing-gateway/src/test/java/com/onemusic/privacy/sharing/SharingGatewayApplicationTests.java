package com.onemusic.privacy.sharing;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.onemusic.privacy.testsupport.ServiceContractTests;

/**
 * sharing-gateway keeps the contract every service keeps (see
 * {@link ServiceContractTests}), and documents its API with OpenAPI.
 */
@GatewayTest
class SharingGatewayApplicationTests extends ServiceContractTests {

	/** Partner callbacks carry no token: their signature authenticates them. */
	@Override
	protected List<String> publicPaths() {
		return List.of("/partners/[^/]+/callbacks");
	}

	@Test
	void publishesItsOpenApiDescription() {
		this.web.get()
			.uri("/v3/api-docs")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.paths['/shares'].post")
			.exists()
			.jsonPath("$.paths['/disclosures'].post")
			.exists()
			.jsonPath("$.paths['/partners/{id}'].put")
			.exists()
			.jsonPath("$.paths['/partners/{id}/callbacks'].post")
			.exists()
			.jsonPath("$.paths['/deliveries/overdue'].get")
			.exists()
			.jsonPath("$.paths['/users/{userId}/shares'].get")
			.exists();
	}

}
