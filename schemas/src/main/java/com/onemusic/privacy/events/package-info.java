/**
 * The Avro event contract (classes generated from {@code src/main/avro}) and the typed
 * registry of topics that carry it.
 */
package com.onemusic.privacy.events;
