package com.onemusic.privacy.sharing;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import com.mongodb.event.CommandSucceededEvent;
import com.mongodb.reactivestreams.client.MongoClient;
import org.bson.BsonDocument;
import org.bson.Document;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

import com.onemusic.privacy.events.ConsentChanged;
import com.onemusic.privacy.sharing.view.ConsentView;
import com.onemusic.privacy.sharing.view.UserState;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The consent view's writes of a batch: every user's stored state read together and
 * written in one bulk command, each under its own version check; a user another instance
 * wrote meanwhile is merged and written again, nothing of either write lost.
 */
@GatewayTest
class ConsentViewWriteTests {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final String PROVIDERS = "sharing.service-providers";

	private static final String PARTNERS = "sharing.business-partners";

	@Value("${spring.mongodb.uri}")
	private String mongoUri;

	@Autowired
	private ReactiveMongoTemplate mongo;

	@Test
	void aBatchIsWrittenInOneCommandOfEachKindEachUserUnderItsOwnVersion() {
		List<String> stored = users(20);
		List<String> fresh = users(20);
		String forgotten = GatewayFixtures.user();
		String unrecorded = GatewayFixtures.user();
		Map<String, AtomicInteger> commands = new ConcurrentHashMap<>();
		try (MongoClient client = client(commandsOnTheView(commands))) {
			ConsentView view = new ConsentView(template(client), 0);
			Map<String, List<Object>> first = new LinkedHashMap<>();
			stored.forEach((user) -> first.put(user, List.of(consent(user, PROVIDERS, true))));
			first.put(forgotten, List.of(consent(forgotten, PROVIDERS, true)));
			view.applyAll(first).block(WAIT);

			commands.clear();
			Map<String, List<Object>> batch = new LinkedHashMap<>();
			stored.forEach((user) -> batch.put(user, List.of(consent(user, PROVIDERS, false))));
			fresh.forEach((user) -> batch.put(user, List.of(consent(user, PROVIDERS, true))));
			batch.put(forgotten, List.of(new ConsentView.LedgerDeleted(forgotten)));
			batch.put(unrecorded,
					List.of(ConsentChanged.newBuilder(consent(unrecorded, PROVIDERS, true)).setSequence(null).build()));
			view.applyAll(batch).block(WAIT);

			assertThat(count(commands, "insert")).as("insert commands for %d new users", fresh.size()).isEqualTo(1);
			assertThat(count(commands, "update")).as("update commands for %d stored users", stored.size()).isEqualTo(1);
			assertThat(count(commands, "delete")).as("delete commands for one forgotten user").isEqualTo(1);
			assertThat(count(commands, "find")).as("reads of %d users", batch.size()).isEqualTo(1);
		}
		try (MongoClient client = client(new CommandListener() {
		})) {
			ConsentView reader = new ConsentView(template(client), 0);
			stored.forEach((user) -> {
				assertThat(granted(reader, user, PROVIDERS)).as("%s withdrew", user).isFalse();
				assertThat(version(user)).as("%s stored twice", user).isEqualTo(2);
			});
			fresh.forEach((user) -> assertThat(granted(reader, user, PROVIDERS)).as("%s granted", user).isTrue());
		}
		assertThat(document(forgotten)).as("the forgotten user's document").isNull();
		assertThat(document(unrecorded)).as("a change without a ledger sequence stores nothing").isNull();
	}

	@Test
	void aBatchOfMoreUsersThanOneReadAsksForIsReadInQueriesOfAtMostThatMany() {
		List<String> fresh = users(2 * ConsentView.MAX_USERS_PER_READ + 50);
		Map<String, AtomicInteger> commands = new ConcurrentHashMap<>();
		try (MongoClient client = client(commandsOnTheView(commands))) {
			Map<String, List<Object>> batch = new LinkedHashMap<>();
			fresh.forEach((user) -> batch.put(user, List.of(consent(user, PROVIDERS, true))));
			new ConsentView(template(client), 0).applyAll(batch).block(WAIT);
		}
		assertThat(count(commands, "find"))
			.as("reads of %d users, at most %d a query", fresh.size(), ConsentView.MAX_USERS_PER_READ)
			.isEqualTo(3);
		assertThat(this.mongo.count(Query.query(Criteria.where("_id").in(fresh)), ConsentView.USERS).block(WAIT))
			.isEqualTo(fresh.size());
	}

	@Test
	void aUserAnotherInstanceChangedAfterTheBatchReadItIsMergedAndWrittenAgain() {
		// Stored at version 1; the other instance writes version 2; this one's update of
		// version 1 finds none, and the user is merged and written as version 3.
		assertContestedUserMerged(true, 3);
	}

	@Test
	void aUserAnotherInstanceStoredFirstAfterTheBatchReadItIsMergedAndWrittenAgain() {
		// Not stored; the other instance inserts it first; this one's insert is a
		// duplicate key, and the user is merged and written as version 2.
		assertContestedUserMerged(false, 2);
	}

	/**
	 * Applies a batch of a contested user and five others while another instance writes
	 * the contested user between this one's read of the batch and its bulk write: both
	 * instances' changes must be in the stored and the cached state, and the others
	 * written once.
	 */
	private void assertContestedUserMerged(boolean storedBefore, long finalVersion) {
		String contested = GatewayFixtures.user();
		List<String> others = users(5);
		AtomicBoolean armed = new AtomicBoolean();
		try (MongoClient otherClient = client(new CommandListener() {
		}); MongoClient client = client(new CommandListener() {
			@Override
			public void commandSucceeded(CommandSucceededEvent event) {
				// Once this instance has read the batch's users, another instance
				// writes one of them, before this one's bulk write.
				if (event.getCommandName().equals("find") && armed.compareAndSet(true, false)) {
					new ConsentView(template(otherClient), 0)
						.applyAll(Map.of(contested, List.of(consent(contested, PARTNERS, true))))
						.block(WAIT);
				}
			}
		})) {
			ConsentView view = new ConsentView(template(client), 0);
			if (storedBefore) {
				view.applyAll(Map.of(contested, List.of(consent(contested, PROVIDERS, true)))).block(WAIT);
				assertThat(version(contested)).isEqualTo(1);
			}

			Map<String, List<Object>> batch = new LinkedHashMap<>();
			batch.put(contested, List.of(consent(contested, PROVIDERS, false)));
			others.forEach((user) -> batch.put(user, List.of(consent(user, PROVIDERS, true))));
			armed.set(true);
			view.applyAll(batch).block(WAIT);

			assertThat(armed).as("the other instance wrote between the read and the bulk write").isFalse();
			ConsentView reader = new ConsentView(template(otherClient), 0);
			assertThat(granted(reader, contested, PROVIDERS)).as("this instance's withdrawal").isFalse();
			assertThat(granted(reader, contested, PARTNERS)).as("the other instance's grant").isTrue();
			assertThat(version(contested)).as("written by the other instance, then again by this one")
				.isEqualTo(finalVersion);
			others.forEach((user) -> {
				assertThat(granted(reader, user, PROVIDERS)).as("%s granted", user).isTrue();
				assertThat(version(user)).as("%s written once", user).isEqualTo(1);
			});
			UserState cached = view.user(contested).block(WAIT);
			assertThat(cached.consent(PROVIDERS)).as("this instance's cache after the retry")
				.hasValueSatisfying((consent) -> assertThat(consent.granted()).isFalse());
			assertThat(cached.consent(PARTNERS)).as("the other instance's grant in this instance's cache")
				.hasValueSatisfying((consent) -> assertThat(consent.granted()).isTrue());
		}
	}

	private static List<String> users(int count) {
		return IntStream.range(0, count).mapToObj((i) -> GatewayFixtures.user()).toList();
	}

	/** A change as the view reads it from the topic, its time in milliseconds. */
	private static ConsentChanged consent(String user, String scope, boolean granted) {
		ConsentChanged change = GatewayFixtures.consent(user, scope, granted, GatewayFixtures.POLICY);
		return ConsentChanged.newBuilder(change)
			.setOccurredAt(change.getOccurredAt().truncatedTo(ChronoUnit.MILLIS))
			.build();
	}

	private static boolean granted(ConsentView view, String user, String scope) {
		UserState state = view.user(user).block(WAIT);
		assertThat(state.consent(scope)).as("%s's %s", user, scope).isPresent();
		return state.consent(scope).get().granted();
	}

	private Document document(String user) {
		return this.mongo.findOne(Query.query(Criteria.where("_id").is(user)), Document.class, ConsentView.USERS)
			.block(WAIT);
	}

	private long version(String user) {
		Document document = document(user);
		assertThat(document).as("%s's document", user).isNotNull();
		return document.get("version", Number.class).longValue();
	}

	private static int count(Map<String, AtomicInteger> commands, String name) {
		AtomicInteger count = commands.get(name);
		return (count != null) ? count.get() : 0;
	}

	/** Counts the commands on the view's users by name. */
	private static CommandListener commandsOnTheView(Map<String, AtomicInteger> commands) {
		return new CommandListener() {
			@Override
			public void commandStarted(CommandStartedEvent event) {
				BsonDocument command = event.getCommand();
				String name = event.getCommandName();
				if (command.containsKey(name) && command.get(name).isString()
						&& ConsentView.USERS.equals(command.getString(name).getValue())) {
					commands.computeIfAbsent(name, (key) -> new AtomicInteger()).incrementAndGet();
				}
			}
		};
	}

	private MongoClient client(CommandListener listener) {
		return GatewayFixtures.mongoClient(this.mongoUri, Duration.ofSeconds(5), listener);
	}

	private ReactiveMongoTemplate template(MongoClient client) {
		return GatewayFixtures.template(client, this.mongoUri);
	}

}
