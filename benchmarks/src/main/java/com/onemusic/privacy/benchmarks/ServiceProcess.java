package com.onemusic.privacy.benchmarks;

import java.util.Arrays;

import com.onemusic.privacy.platform.PrivacyService;

/**
 * A service with the benchmark's trivial endpoint, in a JVM of its own: what the load
 * drivers start with {@code -Dseparate=true} ({@link ServiceJvm}), so that the service
 * has its heap and its JIT compiler to itself, as deployed, instead of sharing them with
 * the broker, the MongoDB server and the load driver.
 */
public final class ServiceProcess {

	private ServiceProcess() {
	}

	/**
	 * Starts the service.
	 * @param args the application class and the service's name, then the arguments that
	 * point it at the infrastructure
	 * @throws ClassNotFoundException when the application class is not on the class path
	 */
	public static void main(String[] args) throws ClassNotFoundException {
		System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
		PrivacyService.trustEventsPackage();
		PrivacyService.builder(Class.forName(args[0]), args[1])
			.sources(InProcess.TrivialEndpoint.class)
			.run(Arrays.copyOfRange(args, 2, args.length));
	}

}
