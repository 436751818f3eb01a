/**
 * The transactional outbox without transactions: a change and the events it publishes are
 * one MongoDB document; a relay publishes it and then marks it published.
 */
package com.onemusic.privacy.platform.outbox;
