package com.onemusic.privacy.platform;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts one of the services. Each service reads its own {@code <name>.yml} (not
 * {@code application.yml}), so that all four can run side by side in one JVM, as the
 * local launcher runs them.
 */
public final class PrivacyService {

	/** The package of the generated events, which Avro must be told to trust. */
	public static final String EVENTS_PACKAGE = "com.onemusic.privacy.events";

	static final String AVRO_TRUSTED_PACKAGES = "org.apache.avro.SERIALIZABLE_PACKAGES";

	private PrivacyService() {
	}

	/**
	 * Trusts the events package for Avro; must happen before Avro's classes load.
	 */
	public static void trustEventsPackage() {
		String trusted = System.getProperty(AVRO_TRUSTED_PACKAGES);
		if (trusted == null || trusted.isBlank()) {
			System.setProperty(AVRO_TRUSTED_PACKAGES, EVENTS_PACKAGE);
		}
		else if (!trusted.contains(EVENTS_PACKAGE)) {
			System.setProperty(AVRO_TRUSTED_PACKAGES, trusted + "," + EVENTS_PACKAGE);
		}
	}

	/**
	 * An application builder for a service.
	 * @param application the service's {@code @SpringBootApplication} class
	 * @param name the service name, which is also its configuration file name
	 * @return the builder
	 */
	public static SpringApplicationBuilder builder(Class<?> application, String name) {
		trustEventsPackage();
		return new SpringApplicationBuilder(application).properties("spring.config.name=" + name,
				"spring.application.name=" + name);
	}

	/**
	 * Runs a service.
	 * @param application the service's {@code @SpringBootApplication} class
	 * @param name the service name
	 * @param args the command line
	 * @return the running context
	 */
	public static ConfigurableApplicationContext run(Class<?> application, String name, String... args) {
		SpringApplication app = builder(application, name).build();
		return app.run(args);
	}

}
