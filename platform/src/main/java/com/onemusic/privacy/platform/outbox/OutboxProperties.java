package com.onemusic.privacy.platform.outbox;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the outbox relay.
 *
 * @param enabled whether this instance runs a relay at all
 * @param pollInterval how often the lease holder sweeps for unpublished entries (new
 * entries are published at once, without waiting for a sweep)
 * @param batchSize entries per round
 * @param sendTimeout how long it waits for Kafka to acknowledge a batch
 * @param leaseTtl how long a dead instance keeps the relay lease
 */
@Validated
@ConfigurationProperties("privacy.outbox")
public record OutboxProperties(@DefaultValue("true") boolean enabled,
		@DefaultValue("5s") @NotNull Duration pollInterval, @DefaultValue("500") @Min(1) int batchSize,
		@DefaultValue("30s") @NotNull Duration sendTimeout, @DefaultValue("15s") @NotNull Duration leaseTtl) {

}
