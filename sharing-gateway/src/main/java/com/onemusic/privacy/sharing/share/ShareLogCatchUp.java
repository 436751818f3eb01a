package com.onemusic.privacy.sharing.share;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

import com.onemusic.privacy.events.Topics;

/**
 * Waits until the queryable share log holds every decision that was on the decisions
 * topic when asked: the share log's consumer group has committed, on every partition of
 * the topic, at least the end offset read at the start. The projection commits a batch
 * only once it is stored, so a decision answered before the wait began is then in the
 * log, whichever instance projected it.
 */
public class ShareLogCatchUp implements AutoCloseable {

	private static final Duration POLL_INTERVAL = Duration.ofMillis(50);

	private final Admin admin;

	private final String group;

	/**
	 * Creates the check.
	 * @param adminConfig the admin client's settings
	 * @param group the consumer group of the share log's projection
	 */
	public ShareLogCatchUp(Map<String, Object> adminConfig, String group) {
		this.admin = Admin.create(adminConfig);
		this.group = group;
	}

	/**
	 * Waits until the share log holds every decision on the topic now.
	 * @param within how long to wait at most, the calls to the brokers included
	 * @throws TimeoutException if it did not within the time
	 * @throws ExecutionException if the brokers could not be asked
	 * @throws InterruptedException if interrupted
	 */
	public void await(Duration within) throws TimeoutException, ExecutionException, InterruptedException {
		long deadline = System.nanoTime() + within.toNanos();
		String topic = Topics.SHARING_DECISIONS.name();
		List<TopicPartition> partitions = this.admin.describeTopics(List.of(topic))
			.allTopicNames()
			.get(remaining(deadline), TimeUnit.NANOSECONDS)
			.get(topic)
			.partitions()
			.stream()
			.map((partition) -> new TopicPartition(topic, partition.partition()))
			.toList();
		Map<TopicPartition, Long> ends = this.admin
			.listOffsets(partitions.stream().collect(Collectors.toMap(Function.identity(), (p) -> OffsetSpec.latest())),
					new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
			.all()
			.get(remaining(deadline), TimeUnit.NANOSECONDS)
			.entrySet()
			.stream()
			.filter((end) -> end.getValue().offset() > 0)
			.collect(Collectors.toMap(Map.Entry::getKey, (end) -> end.getValue().offset()));
		while (true) {
			Map<TopicPartition, OffsetAndMetadata> committed = this.admin.listConsumerGroupOffsets(this.group)
				.partitionsToOffsetAndMetadata()
				.get(remaining(deadline), TimeUnit.NANOSECONDS);
			List<TopicPartition> behind = ends.entrySet()
				.stream()
				.filter((end) -> committed.get(end.getKey()) == null
						|| committed.get(end.getKey()).offset() < end.getValue())
				.map(Map.Entry::getKey)
				.toList();
			if (behind.isEmpty()) {
				return;
			}
			if (System.nanoTime() > deadline) {
				throw new TimeoutException("The share log did not hold every decision on " + topic + " within "
						+ within.toMillis() + " ms (behind on " + behind + ")");
			}
			Thread.sleep(POLL_INTERVAL.toMillis());
		}
	}

	/** What is left of the wait: every call to the brokers shares it. */
	private static long remaining(long deadline) {
		return Math.max(0, deadline - System.nanoTime());
	}

	@Override
	public void close() {
		this.admin.close(Duration.ofSeconds(5));
	}

}
