/**
 * The shared test infrastructure: one broker, MongoDB server and registry per test JVM.
 */
package com.onemusic.privacy.testsupport;
