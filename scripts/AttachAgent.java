import com.sun.tools.attach.VirtualMachine;

/**
 * Loads a native agent into a running JVM: {@code java scripts/AttachAgent.java PID LIBRARY OPTIONS}.
 * scripts/perf.sh --profile uses it to start and stop async-profiler in the server after its
 * warm-up. Not jcmd's JVMTI.agent_load: jcmd splits the options at '=' and async-profiler never
 * sees them.
 */
public final class AttachAgent {
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: java AttachAgent.java PID LIBRARY OPTIONS");
            System.exit(2);
        }
        VirtualMachine vm = VirtualMachine.attach(args[0]);
        try {
            vm.loadAgentPath(args[1], args[2]);
        } finally {
            vm.detach();
        }
    }
}
