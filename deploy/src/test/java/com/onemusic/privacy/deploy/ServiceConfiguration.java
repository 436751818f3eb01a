package com.onemusic.privacy.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ClassPathResource;

import com.onemusic.privacy.platform.PlatformDefaults;
import com.onemusic.privacy.platform.security.ProductionGuard;

/**
 * What one service reads from its configuration, as Spring Boot sees it: the properties
 * its Spring configuration defines (the configuration metadata of the service, the
 * platform and Spring Boot, and the keys of its own {@code <service>.yml}) and the
 * environment variables its defaults name in placeholders
 * ({@code KAFKA_BOOTSTRAP_SERVERS} and the like).
 *
 * @param name the service name, also its configuration file's name
 * @param properties every property the service's configuration defines
 * @param variables environment variables read through placeholders
 * @param developmentSecretVariables the variables that set the properties its file ships
 * a development secret in (outside profile-specific sections): these must come from
 * Secrets
 */
record ServiceConfiguration(String name, Set<String> properties, Set<String> variables,
		Set<String> developmentSecretVariables) {

	/** The four services. */
	static final List<String> SERVICES = List.of("consent-service", "dsr-service", "anonymizer-service",
			"sharing-gateway");

	private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]");

	private static final Map<String, ServiceConfiguration> READ = new ConcurrentHashMap<>();

	/**
	 * A service's configuration, read once per test JVM.
	 * @param service the service
	 * @return its configuration
	 */
	static ServiceConfiguration of(String service) {
		return READ.computeIfAbsent(service, ServiceConfiguration::read);
	}

	private static ServiceConfiguration read(String service) {
		Set<String> properties = new TreeSet<>();
		Set<String> variables = new TreeSet<>();
		for (String file : List.of("META-INF/spring-configuration-metadata.json",
				"META-INF/additional-spring-configuration-metadata.json")) {
			for (URL url : resources(file)) {
				if (SERVICES.stream().anyMatch((other) -> !other.equals(service) && belongsTo(url, other))) {
					continue;
				}
				read(url).path("properties").forEach((property) -> properties.add(property.path("name").asText()));
			}
		}
		Set<String> developmentSecrets = new TreeSet<>();
		for (PropertySource<?> source : ownFile(service)) {
			collect(source, properties, variables);
			EnumerablePropertySource<?> document = (EnumerablePropertySource<?>) source;
			if (!document.containsProperty("spring.config.activate.on-profile")) {
				for (String property : document.getPropertyNames()) {
					if (ProductionGuard.isDevelopmentSecret(String.valueOf(document.getProperty(property)))) {
						developmentSecrets.add(property.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT));
					}
				}
			}
		}
		StandardEnvironment defaults = isolated();
		new PlatformDefaults().postProcessEnvironment(defaults, null);
		collect(defaults.getPropertySources().get(PlatformDefaults.SOURCE_NAME), properties, variables);
		return new ServiceConfiguration(service, Collections.unmodifiableSet(properties),
				Collections.unmodifiableSet(variables), Collections.unmodifiableSet(developmentSecrets));
	}

	/**
	 * Whether the service reads an environment variable: one its defaults name, or one
	 * that Spring Boot's relaxed binding maps onto a property the service defines.
	 * @param variable the variable's name
	 * @return whether setting it changes the service's configuration
	 */
	boolean reads(String variable) {
		if (this.variables.contains(variable)) {
			return true;
		}
		StandardEnvironment environment = isolated();
		environment.getPropertySources()
			.addFirst(new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					Map.of(variable, "set")));
		ConfigurationPropertySources.attach(environment);
		return this.properties.stream()
			.filter(ConfigurationPropertyName::isValid)
			.anyMatch(environment::containsProperty);
	}

	/**
	 * The environment the service would start with, given the variables a container gets:
	 * its configuration file (with the profiles those variables activate), then the
	 * platform's defaults, as a service's start-up builds it.
	 * @param variables the container's environment
	 * @return the environment
	 */
	StandardEnvironment environment(Map<String, Object> variables) {
		StandardEnvironment environment = isolated();
		environment.getPropertySources()
			.addFirst(new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					variables));
		environment.getPropertySources()
			.addLast(new MapPropertySource("service",
					Map.of("spring.config.name", this.name, "spring.application.name", this.name)));
		ConfigDataEnvironmentPostProcessor.applyTo(environment);
		new PlatformDefaults().postProcessEnvironment(environment, null);
		return environment;
	}

	/** A Spring environment without this JVM's own system properties and variables. */
	private static StandardEnvironment isolated() {
		StandardEnvironment environment = new StandardEnvironment();
		MutablePropertySources sources = environment.getPropertySources();
		sources.remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
		sources.remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
		return environment;
	}

	private static void collect(PropertySource<?> source, Set<String> properties, Set<String> variables) {
		if (source instanceof EnumerablePropertySource<?> enumerable) {
			for (String property : enumerable.getPropertyNames()) {
				properties.add(property.replaceAll("\\[\\d+]", ""));
				Object value = enumerable.getProperty(property);
				Matcher placeholder = PLACEHOLDER.matcher(String.valueOf(value));
				while (placeholder.find()) {
					variables.add(placeholder.group(1));
				}
			}
		}
	}

	private static List<PropertySource<?>> ownFile(String service) {
		try {
			return new YamlPropertySourceLoader().load(service, new ClassPathResource(service + ".yml"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static boolean belongsTo(URL url, String service) {
		String location = url.toString();
		return location.contains("/" + service + "/") || location.contains("/" + service + "-");
	}

	private static List<URL> resources(String name) {
		try {
			return Collections.list(ServiceConfiguration.class.getClassLoader().getResources(name));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static JsonNode read(URL url) {
		try (InputStream in = url.openStream()) {
			return new ObjectMapper().readTree(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
