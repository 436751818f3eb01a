package com.onemusic.privacy.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.AliasFor;
import org.springframework.test.context.ContextConfiguration;

/**
 * An integration test of a service over the real broker, MongoDB wire server and registry
 * of this test JVM ({@link TestInfrastructure}), with the service listening on a random
 * port and a {@code WebTestClient} bound to it (30 s response timeout) that sends a token
 * with every scope ({@link TestTokens}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = InfrastructureInitializer.class)
// The builds share small, busy machines: a cold first request may take longer than the
// default 5 s without anything being wrong.
@AutoConfigureWebTestClient(timeout = "30s")
@Import(TestTokens.DefaultToken.class)
public @interface ServiceIntegrationTest {

	/**
	 * Extra properties, as in {@link SpringBootTest#properties()}.
	 * @return the properties
	 */
	@AliasFor(annotation = SpringBootTest.class, attribute = "properties")
	String[] properties() default {};

	/**
	 * The configuration classes, as in {@link SpringBootTest#classes()}.
	 * @return the classes
	 */
	@AliasFor(annotation = SpringBootTest.class, attribute = "classes")
	Class<?>[] classes() default {};

}
