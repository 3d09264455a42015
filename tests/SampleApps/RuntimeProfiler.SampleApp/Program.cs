using System.Globalization;
using System.Runtime.InteropServices;

// A small app the tests run as a real process. Each mode prints what the tests check; nothing here is timed.
//   gc <gen0> <gen1> <gen2> [exit code]  collect that many times per generation, print the counts, exit
//   signals                               print "ready", then exit with 40 + the signal's number when one arrives
//   echo                                  copy stdin to stdout until it ends
//   serve                                 print "ready <pid>", then obey stdin: "gc <gen0> <gen1> <gen2>" or "exit"
//   child-env                             print DOTNET_STARTUP_HOOKS as a child process of this app sees it
string mode = args.Length > 0 ? args[0] : "gc";
switch (mode)
{
    case "gc":
        Console.WriteLine($"sample: pid {Environment.ProcessId}");
        Console.Error.WriteLine("sample: a line on stderr");
        Collect(Number(args, 1), Number(args, 2), Number(args, 3));
        PrintCollections();
        return Number(args, 4);

    case "signals":
        using (var received = new SemaphoreSlim(0))
        {
            int signalNumber = 0;
            PosixSignalRegistration Register(PosixSignal signal, int number) => PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = true;
                Interlocked.CompareExchange(ref signalNumber, number, 0);
                received.Release();
            });
            using PosixSignalRegistration term = Register(PosixSignal.SIGTERM, 15);
            using PosixSignalRegistration interrupt = Register(PosixSignal.SIGINT, 2);
            using PosixSignalRegistration quit = Register(PosixSignal.SIGQUIT, 3);
            Console.WriteLine("ready");
            await received.WaitAsync();
            Console.WriteLine($"received signal {signalNumber}");
            return 40 + signalNumber;
        }

    case "echo":
        await Console.OpenStandardInput().CopyToAsync(Console.OpenStandardOutput());
        return 0;

    case "serve":
        Console.WriteLine($"ready {Environment.ProcessId}");
        while (Console.ReadLine() is { } line)
        {
            string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words is ["gc", ..])
            {
                Collect(Number(words, 1), Number(words, 2), Number(words, 3));
                PrintCollections();
            }
            else if (words is ["exit"])
            {
                break;
            }
        }

        return 0;

    case "child-env":
        using (var child = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("sh", ["-c", "echo \"child sees [$DOTNET_STARTUP_HOOKS]\""])))
        {
            await child!.WaitForExitAsync();
            return child.ExitCode;
        }

    default:
        Console.Error.WriteLine($"unknown mode {mode}");
        return 2;
}

static int Number(string[] args, int index) => args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : 0;

static void Collect(int gen0, int gen1, int gen2)
{
    for (int i = 0; i < gen0; i++)
    {
        GC.Collect(0, GCCollectionMode.Forced, blocking: true);
    }

    for (int i = 0; i < gen1; i++)
    {
        GC.Collect(1, GCCollectionMode.Forced, blocking: true);
    }

    for (int i = 0; i < gen2; i++)
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true);
    }
}

// What the app itself reads: GC.CollectionCount counts a collection under every generation it collected.
static void PrintCollections() =>
    Console.WriteLine($"collections {GC.CollectionCount(0)} {GC.CollectionCount(1)} {GC.CollectionCount(2)}");
