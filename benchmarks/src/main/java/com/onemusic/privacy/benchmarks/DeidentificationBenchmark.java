package com.onemusic.privacy.benchmarks;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import com.onemusic.privacy.anonymizer.ingest.RawEvents;
import com.onemusic.privacy.anonymizer.keys.UserKeys;
import com.onemusic.privacy.anonymizer.rules.FieldRules;
import com.onemusic.privacy.anonymizer.rules.Transformation;
import com.onemusic.privacy.events.DeviceIdentifiers;
import com.onemusic.privacy.events.GeoPoint;
import com.onemusic.privacy.events.UserActivityRecorded;
import com.onemusic.privacy.personal.PersonalDataDetector;

/**
 * The de-identification of raw analytics events in memory (JMH): the whole pipeline of a
 * realistic event (flattening, keyed pseudonyms of the user and two device ids, text
 * scrubbed by the detectors, IP, place and birthday generalized, deny by default), and
 * the detectors alone on a search text. Prints events per second against the target of
 * 20,000 on 2 cores (one thread measures; the pipeline is per event and parallel across
 * events).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DeidentificationBenchmark {

	private FieldRules rules;

	private PersonalDataDetector detector;

	private UserActivityRecorded event;

	private Transformation.Context context;

	private String text;

	@Setup
	public void setUp() {
		Map<String, String> specs = new LinkedHashMap<>();
		specs.put("userId", "pseudonym");
		specs.put("occurredAt", "keep");
		specs.put("eventType", "keep");
		specs.put("page", "keep");
		specs.put("searchKeywords", "scrub");
		specs.put("content", "scrub");
		specs.put("device.imei", "pseudonym");
		specs.put("device.idfa", "pseudonym");
		specs.put("device.imsi", "drop");
		specs.put("device.model", "keep");
		specs.put("ip", "generalize-ip:24:48");
		specs.put("location", "generalize-geo:0.01");
		specs.put("city", "keep");
		specs.put("birthDate", "generalize-date:year");
		specs.put("properties.channel", "keep");
		this.rules = FieldRules.parse("analytics_events", specs);
		this.detector = new PersonalDataDetector();
		byte[] key = new byte[32];
		new SecureRandom().nextBytes(key);
		UserKeys.Pseudonymizer pseudonymizer = new UserKeys.Pseudonymizer(key);
		this.context = new Transformation.Context() {

			@Override
			public String pseudonym(String field, String value) {
				return pseudonymizer.pseudonym(field, value);
			}

			@Override
			public String scrub(String text) {
				return DeidentificationBenchmark.this.detector.scrub(text);
			}

		};
		this.text = "周杰伦 晴天 歌词 联系13812345678";
		this.event = UserActivityRecorded.newBuilder()
			.setEventId(UUID.randomUUID())
			.setOccurredAt(Instant.now())
			.setUserId("u-1234567890")
			.setEventType("search")
			.setPage("search/results")
			.setSearchKeywords(this.text)
			.setContent("好听！")
			.setDevice(DeviceIdentifiers.newBuilder()
				.setImei("490154203237518")
				.setIdfa("6D92078A-8246-4BA4-AE5B-76104861E7DC")
				.setImsi("460001234567890")
				.setModel("iPhone15")
				.build())
			.setIp("203.0.113.77")
			.setLocation(GeoPoint.newBuilder().setLatitude(39.9087).setLongitude(116.3975).build())
			.setCity("北京")
			.setBirthDate(LocalDate.of(1990, 3, 7))
			.setProperties(Map.of("channel", "app-store", "nickname", "小明"))
			.build();
	}

	@Benchmark
	public Map<String, Object> pipeline() {
		return this.rules.apply(RawEvents.flatten(this.event), this.context);
	}

	@Benchmark
	public Object detectors() {
		return this.detector.find(this.text);
	}

	public static void main(String[] args) throws Exception {
		for (RunResult result : new Runner(
				new OptionsBuilder().include(DeidentificationBenchmark.class.getSimpleName()).build())
			.run()) {
			double perSecond = result.getPrimaryResult().getScore();
			String name = result.getParams().getBenchmark();
			System.out.printf("%s: %.0f per second on one thread%s%n", name.substring(name.lastIndexOf('.') + 1),
					perSecond, name.endsWith("pipeline")
							? String.format(" (%.1fx the 20,000 events/s target)", perSecond / 20_000) : "");
		}
	}

}
