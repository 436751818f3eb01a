package com.onemusic.privacy.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.TreeMap;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * What requests cost a service in operations on its dependencies, counted between two
 * moments: MongoDB commands by name (from the driver's command metrics), the Kafka
 * produce requests and records of the service's producers, and the offset commits of its
 * consumers (from their JMX metrics). Unlike CPU times these counts do not depend on how
 * busy the machine is, so they show what a change to the code saves even where timings
 * are too noisy to.
 *
 * @param mongoCommands MongoDB commands so far, by command name
 * @param produceRequests Kafka produce requests so far
 * @param producedRecords records those requests carried
 * @param offsetCommits offset commits of the service's consumers so far
 */
record Operations(Map<String, Long> mongoCommands, double produceRequests, double producedRecords,
		double offsetCommits) {

	private static final MBeanServer MBEANS = ManagementFactory.getPlatformMBeanServer();

	/**
	 * The counts so far of a service running in this JVM.
	 * @param service the service
	 * @param name the service's name, which its Kafka clients' ids contain
	 * @return the counts
	 */
	static Operations of(ConfigurableApplicationContext service, String name) {
		Map<String, Long> commands = new TreeMap<>();
		for (Timer timer : service.getBean(MeterRegistry.class).find("mongodb.driver.commands").timers()) {
			commands.merge(timer.getId().getTag("command"), timer.count(), Long::sum);
		}
		return new Operations(commands, total("kafka.producer:type=producer-metrics", name, "request-total"),
				total("kafka.producer:type=producer-metrics", name, "record-send-total"),
				total("kafka.consumer:type=consumer-coordinator-metrics", name, "commit-total"));
	}

	/** The sum of a metric over the Kafka clients whose id contains the name. */
	private static double total(String type, String name, String attribute) {
		double total = 0;
		try {
			for (ObjectName client : MBEANS.queryNames(new ObjectName(type + ",client-id=*"), null)) {
				if (client.getKeyProperty("client-id").contains(name)) {
					total += ((Number) MBEANS.getAttribute(client, attribute)).doubleValue();
				}
			}
		}
		catch (JMException ex) {
			throw new IllegalStateException("Could not read the Kafka clients' metrics", ex);
		}
		return total;
	}

	/**
	 * One line: the operations per unit of work since an earlier count.
	 * @param before the earlier count
	 * @param units how many units of work were done in between
	 * @param unit what a unit is called
	 * @return the line
	 */
	String perUnitSince(Operations before, long units, String unit) {
		long per = Math.max(1, units);
		StringBuilder commands = new StringBuilder();
		long total = 0;
		for (Map.Entry<String, Long> command : this.mongoCommands.entrySet()) {
			long count = command.getValue() - before.mongoCommands.getOrDefault(command.getKey(), 0L);
			if (count > 0) {
				total += count;
				commands.append((commands.length() > 0) ? ", " : "")
					.append(command.getKey())
					.append(' ')
					.append(String.format("%.2f", (double) count / per));
			}
		}
		double requests = this.produceRequests - before.produceRequests;
		double records = this.producedRecords - before.producedRecords;
		return String.format(
				"  operations per %s: MongoDB commands %.2f (%s); Kafka produce requests %.2f, %.2f records each;"
						+ " offset commits %.3f",
				unit, (double) total / per, commands, requests / per, records / Math.max(1, requests),
				(this.offsetCommits - before.offsetCommits) / per);
	}

}
