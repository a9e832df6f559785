/**
 * JMH microbenchmarks of the server's hot paths that need no package-private access: the
 * protocol codec. The broadcast benchmark lives in {@code dev.partyline.server} of this module,
 * beside the package-private transport classes it drives. Run them from the shaded
 * {@code partyline-jmh.jar} ({@code java -jar partyline-jmh/target/partyline-jmh.jar -h}); the
 * module's test runs each once, briefly, so that they keep compiling and working.
 */
package dev.partyline.jmh;
