package com.onemusic.privacy.sharing;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.event.CommandListener;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

import com.onemusic.privacy.events.ConsentChanged;
import com.onemusic.privacy.events.ConsentMethod;
import com.onemusic.privacy.events.ConsentStatus;
import com.onemusic.privacy.events.DeletionGround;
import com.onemusic.privacy.events.DeletionKind;
import com.onemusic.privacy.events.DeletionRequested;
import com.onemusic.privacy.events.MaterialChange;
import com.onemusic.privacy.events.MaterialChangeKind;
import com.onemusic.privacy.events.PolicyVersionPublished;
import com.onemusic.privacy.events.Topics;
import com.onemusic.privacy.sharing.share.ShareLogProjection;
import com.onemusic.privacy.testsupport.TopicProbe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the gateway's tests publish as consent-service and dsr-service would, and the
 * partners they register. Every test uses its own users, partners and policy versions, so
 * tests sharing the topics do not see each other's facts.
 */
final class GatewayFixtures {

	/** The policy version consents are given under unless a test says otherwise. */
	static final String POLICY = "2026.01";

	private static final AtomicLong sequences = new AtomicLong(1000);

	private GatewayFixtures() {
	}

	static String user() {
		return "u-" + UUID.randomUUID();
	}

	static String secret() {
		byte[] bytes = new byte[32];
		new java.security.SecureRandom().nextBytes(bytes);
		return "whsec_" + Base64.getEncoder().encodeToString(bytes);
	}

	/**
	 * A sequence number higher than any before, as the ledger gives one user's changes.
	 */
	static long nextSequence() {
		return sequences.incrementAndGet();
	}

	static ConsentChanged consent(String user, String scope, boolean granted, String policyVersion) {
		return ConsentChanged.newBuilder()
			.setEventId(UUID.randomUUID())
			.setOccurredAt(Instant.now())
			.setUserId(user)
			.setScope(scope)
			.setStatus(granted ? ConsentStatus.GRANTED : ConsentStatus.WITHDRAWN)
			.setPolicyVersion(policyVersion)
			.setMethod(ConsentMethod.EXPLICIT_TICK)
			.setSourceSystem("consent-service")
			.setSequence(nextSequence())
			.build();
	}

	static void grant(String user, String... scopes) {
		for (String scope : scopes) {
			TopicProbe.publish(Topics.CONSENT_CHANGED.name(), user, consent(user, scope, true, POLICY));
		}
	}

	static void withdraw(String user, String scope) {
		TopicProbe.publish(Topics.CONSENT_CHANGED.name(), user, consent(user, scope, false, POLICY));
	}

	static void publishPolicy(String version, String previous, String... materialScopes) {
		PolicyVersionPublished.Builder policy = PolicyVersionPublished.newBuilder()
			.setEventId(UUID.randomUUID())
			.setOccurredAt(Instant.now())
			.setVersion(version)
			.setPreviousVersion(previous)
			.setEffectiveFrom(Instant.now())
			.setUrl("https://www.onemusic.example/privacy/" + version)
			.setMaterialChanges((materialScopes.length == 0) ? List.of()
					: List.of(new MaterialChange(MaterialChangeKind.SHARING_RECIPIENTS, List.of(materialScopes),
							"New recipients")));
		TopicProbe.publish(Topics.POLICY_PUBLISHED.name(), version, policy.build());
	}

	static DeletionRequested deletion(String user, String requestId, DeletionKind kind, String... only) {
		return DeletionRequested.newBuilder()
			.setEventId(UUID.randomUUID())
			.setOccurredAt(Instant.now())
			.setUserId(user)
			.setRequestId(requestId)
			.setKind(kind)
			.setGround((kind == DeletionKind.ACCOUNT_CLOSURE) ? DeletionGround.ACCOUNT_CLOSURE : DeletionGround.OTHER)
			.setVerifiedAt(Instant.now())
			.setDueDate(LocalDate.now().plusDays(21))
			.setRequiredParticipants(List.of("anonymizer-service", "consent-service", "sharing-gateway"))
			.setOnlyParticipants(List.of(only))
			.build();
	}

	/**
	 * A partner of the API, with a purpose {@code delivery} (order id, phone, address)
	 * and a purpose {@code location-insights} that also takes precise location
	 * (sensitive) and needs {@code purposeScope}.
	 */
	static Map<String, Object> partner(String category, String webhookUrl, String webhookSecret,
			List<String> callbackSecrets, String purposeScope) {
		Map<String, Object> purposes = new LinkedHashMap<>();
		purposes.put("delivery",
				Map.of("fields", Map.of("orderId", "orders", "contactPhone", "phone", "address", "address")));
		purposes.put("location-insights", Map.of("requires", List.of(purposeScope), "fields",
				Map.of("deviceModel", "device-model", "preciseLocation", "precise-location")));
		Map<String, Object> partner = new LinkedHashMap<>();
		partner.put("name", "Test partner");
		partner.put("category", category);
		partner.put("webhookUrl", webhookUrl);
		partner.put("webhookSecret", webhookSecret);
		partner.put("callbackSecrets", callbackSecrets);
		partner.put("purposes", purposes);
		return partner;
	}

	/** What a test does while the share log's projection stores nothing. */
	@FunctionalInterface
	interface Step {

		void run() throws Exception;

	}

	/**
	 * Runs a step with the share log's projection paused (it has stopped polling when the
	 * step starts), and resumes it after, whatever the step did.
	 * @param listeners the application's listener containers
	 * @param step what to do meanwhile
	 * @throws Exception what the step threw
	 */
	static void withShareLogPaused(KafkaListenerEndpointRegistry listeners, Step step) throws Exception {
		MessageListenerContainer projection = listeners.getListenerContainer(ShareLogProjection.LISTENER);
		assertThat(projection).isNotNull();
		projection.pause();
		try {
			await().atMost(Duration.ofSeconds(30)).until(projection::isContainerPaused);
			step.run();
		}
		finally {
			projection.resume();
		}
	}

	/**
	 * A MongoDB client of a test's own: to count a component's commands, or to write as
	 * another instance would.
	 * @param uri the connection string
	 * @param serverSelection how long to wait for the server before failing
	 * @param listener what hears its commands
	 * @return the client, to close
	 */
	static MongoClient mongoClient(String uri, Duration serverSelection, CommandListener listener) {
		return MongoClients.create(MongoClientSettings.builder()
			.applyConnectionString(new ConnectionString(uri))
			.applyToClusterSettings(
					(cluster) -> cluster.serverSelectionTimeout(serverSelection.toMillis(), TimeUnit.MILLISECONDS))
			.addCommandListener(listener)
			.build());
	}

	/**
	 * A template over a client of a test's own, on the connection string's database.
	 * @param client the client
	 * @param uri its connection string
	 * @return the template
	 */
	static ReactiveMongoTemplate template(MongoClient client, String uri) {
		return new ReactiveMongoTemplate(client, new ConnectionString(uri).getDatabase());
	}

}
