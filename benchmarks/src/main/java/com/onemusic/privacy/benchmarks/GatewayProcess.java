package com.onemusic.privacy.benchmarks;

import com.onemusic.privacy.platform.PrivacyService;
import com.onemusic.privacy.sharing.SharingGatewayApplication;

/**
 * sharing-gateway with the benchmark's trivial endpoint, in a JVM of its own: what
 * {@link SharingDecisionBenchmark} starts with {@code -Dseparate=true}, so that the
 * gateway has its heap and its JIT to itself, as deployed, instead of sharing them with
 * the broker, the MongoDB server and the load driver.
 */
public final class GatewayProcess {

	private GatewayProcess() {
	}

	/**
	 * Starts the gateway.
	 * @param args the arguments that point it at the infrastructure
	 */
	public static void main(String[] args) {
		System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
		PrivacyService.trustEventsPackage();
		PrivacyService.builder(SharingGatewayApplication.class, SharingGatewayApplication.NAME)
			.sources(InProcess.TrivialEndpoint.class)
			.run(args);
	}

}
