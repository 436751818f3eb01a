package com.onemusic.privacy.platform;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Shared settings of the services' Kafka plumbing.
 *
 * @param createTopics whether the service creates the contract's topics and their
 * dead-letter topics at start-up (on Kubernetes, topics are declared as resources
 * instead)
 * @param partitions partitions of created topics
 * @param replicationFactor replication factor of created topics
 * @param retryAttempts how often a failing record is retried before it goes to the
 * dead-letter topic
 * @param retryInterval the pause between retries
 * @param healthTimeout how long a health check of Kafka or the registry may take
 */
@Validated
@ConfigurationProperties("privacy.kafka")
public record PlatformProperties(@DefaultValue("true") boolean createTopics, @DefaultValue("3") @Min(1) int partitions,
		@DefaultValue("1") @Min(1) short replicationFactor, @DefaultValue("2") @Min(0) int retryAttempts,
		@DefaultValue("500ms") @NotNull Duration retryInterval, @DefaultValue("3s") @NotNull Duration healthTimeout) {

}
