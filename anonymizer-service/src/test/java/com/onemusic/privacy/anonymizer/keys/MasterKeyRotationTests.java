package com.onemusic.privacy.anonymizer.keys;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.mongodb.reactivestreams.client.MongoClient;
import org.bson.Document;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;

import com.onemusic.privacy.anonymizer.AnonymizerServiceApplication;
import com.onemusic.privacy.platform.PrivacyService;
import com.onemusic.privacy.platform.crypto.AesGcm;
import com.onemusic.privacy.platform.mongo.LeasedJob;
import com.onemusic.privacy.testsupport.ServiceIntegrationTest;
import com.onemusic.privacy.testsupport.TestInfrastructure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Rotating the master key: every user keeps the key (and so the pseudonyms) they had; the
 * keys are sealed again under the new master key, when read and in batches; the old key
 * can then go. The key documents keep their names, and a service started with another
 * lookup key refuses to start. Each test has a database of its own.
 */
@ServiceIntegrationTest(properties = "spring.config.name=" + AnonymizerServiceApplication.NAME)
class MasterKeyRotationTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final SecureRandom RANDOM = new SecureRandom();

	@Autowired
	private MongoClient client;

	@Autowired
	private ConfigurableApplicationContext service;

	@Value("${spring.mongodb.uri}")
	private String mongoUri;

	private ReactiveMongoTemplate mongo;

	private final String oldKey = randomKey();

	private final String newKey = randomKey();

	@BeforeEach
	void database() {
		this.mongo = new ReactiveMongoTemplate(this.client, "rotation-" + UUID.randomUUID().toString().substring(0, 8));
	}

	@Test
	void aRotationKeepsEveryUsersKeyAndSealsThemAgainUnderTheNewMasterKey() {
		UserKeys before = keys(this.oldKey, List.of(), null);
		before.checkLookupKey().block(WAIT);
		Map<String, String> pseudonyms = new LinkedHashMap<>();
		for (int i = 0; i < 25; i++) {
			String user = "u-" + i;
			pseudonyms.put(user, before.keyFor(user).block(WAIT).pseudonym("userId", user));
		}

		// The new master key, the old one retired, the lookup key pinned to the old one.
		UserKeys rotating = keys(this.newKey, List.of(this.oldKey), this.oldKey);
		rotating.checkLookupKey().block(WAIT);
		assertThat(rotating.sealing().block(WAIT)).isEqualTo(new UserKeys.Sealing(0, 25, 0, 0));
		assertThat(rotating.existing("u-0").block(WAIT).pseudonym("userId", "u-0")).isEqualTo(pseudonyms.get("u-0"));
		assertThat(rotating.sealing().block(WAIT)).as("sealed again when read")
			.isEqualTo(new UserKeys.Sealing(1, 24, 0, 1));
		assertThat(rotating.rewrap(10, 1).block(WAIT)).as("one batch").isEqualTo(10L);
		assertThat(rotating.rewrap(10, 100).block(WAIT)).as("the rest").isEqualTo(14L);
		assertThat(rotating.rewrap(10, 100).block(WAIT)).as("nothing twice").isZero();
		assertThat(rotating.sealing().block(WAIT)).isEqualTo(new UserKeys.Sealing(25, 0, 0, 25));
		assertThat(this.mongo.findAll(Document.class, UserKeys.COLLECTION).collectList().block(WAIT))
			.allSatisfy((stored) -> assertThat(stored.getString("key")).startsWith(UserKeys.PREFIX)
				.doesNotContain(this.oldKey, this.newKey));

		// The old key removed: every user still has the same key.
		UserKeys after = keys(this.newKey, List.of(), this.oldKey);
		after.checkLookupKey().block(WAIT);
		pseudonyms.forEach(
				(user, pseudonym) -> assertThat(after.existing(user).block(WAIT).pseudonym("userId", user)).as(user)
					.isEqualTo(pseudonym));
		assertThat(after.keyFor("u-3").block(WAIT).pseudonym("userId", "u-3")).as("no new key")
			.isEqualTo(pseudonyms.get("u-3"));
		assertThat(this.mongo.count(new Query(), UserKeys.COLLECTION).block(WAIT)).isEqualTo(25L);

		// Only the old key: the keys sealed under the new one do not open, and say why.
		UserKeys stale = keys(this.oldKey, List.of(), null);
		assertThatThrownBy(() -> stale.existing("u-1").block(WAIT)).isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("anonymizer.retired-master-keys");
	}

	/**
	 * The service as deployed: an instance started on this test's database with the
	 * rotation settings (from the environment, the retired keys comma-separated) opens
	 * the keys stored under the development master key, and its job seals them again; an
	 * instance started on a new master key alone refuses to start.
	 */
	@Test
	void anInstanceRotatingTheMasterKeySealsTheStoredKeysAgainAndOneWithoutTheLookupKeyDoesNotStart() {
		UserKeys running = this.service.getBean(UserKeys.class);
		assertThat(this.service.getBean(ReactiveMongoTemplate.class)
			.indexOps(UserKeys.COLLECTION)
			.getIndexInfo()
			.collectList()
			.block(WAIT)).as("keys looked up by the master key they are sealed under")
			.anySatisfy((index) -> assertThat(index.isIndexForFields(List.of("kid"))).isTrue());
		String user = "rotation-" + UUID.randomUUID();
		String pseudonym = running.keyFor(user).block(WAIT).pseudonym("userId", user);
		String developmentKey = this.service.getEnvironment().getProperty("anonymizer.master-key");

		try (ConfigurableApplicationContext rotating = PrivacyService
			.builder(AnonymizerServiceApplication.class, AnonymizerServiceApplication.NAME)
			.run(TestInfrastructure.instanceArguments(this.mongoUri, "--anonymizer.master-key=" + this.newKey,
					"--anonymizer.retired-master-keys=" + this.oldKey + "," + developmentKey,
					"--anonymizer.lookup-key=" + developmentKey))) {
			rotating.getBean("masterKeyRewrap", LeasedJob.class).run();
			MeterRegistry meters = rotating.getBean(MeterRegistry.class);
			assertThat(meters.get("anonymizer.user.keys").tag("sealed", "retired").gauge().value()).isZero();
			assertThat(meters.get("anonymizer.user.keys").tag("sealed", "current").gauge().value()).isPositive();
			assertThat(rotating.getBean(UserKeys.class).existing(user).block(WAIT).pseudonym("userId", user))
				.isEqualTo(pseudonym);
		}
		assertThatThrownBy(
				() -> PrivacyService.builder(AnonymizerServiceApplication.class, AnonymizerServiceApplication.NAME)
					.run(TestInfrastructure.instanceArguments(this.mongoUri, "--anonymizer.master-key=" + this.newKey)))
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("anonymizer.lookup-key");
	}

	@Test
	void aServiceStartedWithAnotherLookupKeyRefusesToStart() {
		keys(this.oldKey, List.of(), null).checkLookupKey().block(WAIT);
		keys(this.oldKey, List.of(), null).checkLookupKey().block(WAIT);

		// The master key replaced without pinning the lookup key: every user would get a
		// new key.
		assertThatThrownBy(() -> keys(this.newKey, List.of(this.oldKey), null).checkLookupKey().block(WAIT))
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("anonymizer.lookup-key");
		keys(this.newKey, List.of(this.oldKey), this.oldKey).checkLookupKey().block(WAIT);
	}

	@Test
	void keysStoredBeforeRotationOpenAndAreSealedAgainWhenTheirUserIsSeen() throws Exception {
		byte[] seen = storeAsBeforeRotation("seen");
		byte[] unseen = storeAsBeforeRotation("unseen");
		UserKeys rotating = keys(this.newKey, List.of(this.oldKey), this.oldKey);
		assertThat(rotating.sealing().block(WAIT)).isEqualTo(new UserKeys.Sealing(0, 0, 2, 0));

		assertThat(rotating.existing("seen").block(WAIT).pseudonym("userId", "seen"))
			.isEqualTo(new UserKeys.Pseudonymizer(seen).pseudonym("userId", "seen"));
		// Without the user id a key stored before rotation cannot be sealed again.
		assertThat(rotating.rewrap(10, 10).block(WAIT)).isZero();
		assertThat(rotating.sealing().block(WAIT)).isEqualTo(new UserKeys.Sealing(1, 0, 1, 1));
		assertThat(rotating.existing("unseen").block(WAIT).pseudonym("userId", "unseen"))
			.isEqualTo(new UserKeys.Pseudonymizer(unseen).pseudonym("userId", "unseen"));
		assertThat(rotating.sealing().block(WAIT)).isEqualTo(new UserKeys.Sealing(2, 0, 0, 2));
	}

	@Test
	void aKeyCopiedToAnotherUsersDocumentDoesNotOpen() {
		UserKeys keys = keys(this.newKey, List.of(this.oldKey), this.oldKey);
		keys.keyFor("alice").block(WAIT);
		keys.keyFor("bob").block(WAIT);
		List<Document> stored = this.mongo.findAll(Document.class, UserKeys.COLLECTION).collectList().block(WAIT);
		assertThat(stored).hasSize(2);
		this.mongo
			.updateFirst(Query.query(Criteria.where("_id").is(stored.get(1).getString("_id"))),
					new Update().set("key", stored.get(0).getString("key")), UserKeys.COLLECTION)
			.block(WAIT);

		int opened = 0;
		for (String user : List.of("alice", "bob")) {
			try {
				keys.existing(user).block(WAIT);
				opened++;
			}
			catch (IllegalStateException ex) {
				assertThat(ex).hasMessageContaining("could not be decrypted");
			}
		}
		assertThat(opened).as("only the key in its own document opens").isEqualTo(1);
	}

	private UserKeys keys(String masterKey, List<String> retired, String lookupKey) {
		return new UserKeys(this.mongo, masterKey, retired, lookupKey, Clock.systemUTC());
	}

	/**
	 * Stores a user's key as the service did before master keys could be rotated: named
	 * by the lookup derived from the master key, sealed under it bound to the user id.
	 * @return the key
	 */
	private byte[] storeAsBeforeRotation(String userId) throws Exception {
		byte[] master = Base64.getDecoder().decode(this.oldKey);
		byte[] lookup = hmac(master, "user-key-lookup");
		String id = Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(lookup, userId));
		byte[] key = new byte[32];
		RANDOM.nextBytes(key);
		String sealed = new AesGcm(master).seal(key, userId.getBytes(StandardCharsets.UTF_8));
		this.mongo
			.insert(new Document("_id", id).append("key", sealed).append("createdAt", new java.util.Date()),
					UserKeys.COLLECTION)
			.block(WAIT);
		return key;
	}

	private static byte[] hmac(byte[] key, String value) throws Exception {
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(key, "HmacSHA256"));
		return mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
	}

	private static String randomKey() {
		byte[] key = new byte[32];
		RANDOM.nextBytes(key);
		return Base64.getEncoder().encodeToString(key);
	}

}
