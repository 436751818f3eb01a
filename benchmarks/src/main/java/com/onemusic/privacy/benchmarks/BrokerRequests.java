package com.onemusic.privacy.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * How many requests of each kind the Kafka broker in this JVM has handled so far, from
 * its own request meters ({@code kafka.network:type=RequestMetrics,name=RequestsPerSec}).
 * Every client's requests count: the service's producers, consumers and admin client and
 * the benchmark's own. Two snapshots around a measured window tell how many round trips
 * to the broker one unit of work costs, by kind (a produce, a fetch, a read of end
 * offsets, an offset commit...), which its CPU time alone does not. The broker also
 * meters its fetches by who sent them ({@code FetchConsumer}, {@code FetchFollower});
 * those are already counted in {@code Fetch} and left out here. Empty when the broker
 * runs in a JVM of its own ({@code -Dkafka.separate=true}).
 */
final class BrokerRequests {

	private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();

	/** The broker's meters of fetches by who sent them, already counted in Fetch. */
	private static final Set<String> BY_SENDER = Set.of("FetchConsumer", "FetchFollower");

	private final Map<String, Long> byKind;

	private BrokerRequests(Map<String, Long> byKind) {
		this.byKind = byKind;
	}

	/**
	 * The broker's request counts so far, by kind (all versions of a request together).
	 * @return the snapshot, empty when no broker runs in this JVM
	 */
	static BrokerRequests now() {
		Map<String, Long> byKind = new TreeMap<>();
		try {
			for (ObjectName name : SERVER
				.queryNames(new ObjectName("kafka.network:type=RequestMetrics,name=RequestsPerSec,*"), null)) {
				String kind = name.getKeyProperty("request");
				Object count = SERVER.getAttribute(name, "Count");
				if (!BY_SENDER.contains(kind) && count instanceof Number number) {
					byKind.merge(kind, number.longValue(), Long::sum);
				}
			}
		}
		catch (JMException ex) {
			throw new IllegalStateException("Cannot read the broker's request meters", ex);
		}
		return new BrokerRequests(byKind);
	}

	/**
	 * One line: the broker's requests per unit of work since an earlier snapshot, by
	 * kind, the kinds of fewer than one request per hundred units left out.
	 * @param before the earlier snapshot
	 * @param units how many units of work were done in between
	 * @param unit the unit's name
	 * @return the line, or an empty string when no broker runs in this JVM
	 */
	String perUnitSince(BrokerRequests before, long units, String unit) {
		if (this.byKind.isEmpty() || units == 0) {
			return "";
		}
		StringBuilder line = new StringBuilder("  broker requests per " + unit + ":");
		double total = 0;
		for (Map.Entry<String, Long> kind : this.byKind.entrySet()) {
			double perUnit = (kind.getValue() - before.byKind.getOrDefault(kind.getKey(), 0L)) / (double) units;
			total += perUnit;
			if (perUnit >= 0.01) {
				line.append(String.format(" %s %.2f,", kind.getKey(), perUnit));
			}
		}
		line.append(String.format(" all %.2f", total));
		return line.toString();
	}

}
