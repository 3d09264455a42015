using RuntimeProfiling;

// Uses its own RuntimeProfiler.dll (version 99), then collects gen2 a known number of times and prints the count.
Console.WriteLine(OtherVersionMarker.Describe());
for (int i = 0; i < 3; i++)
{
    GC.Collect(2, GCCollectionMode.Forced, blocking: true);
}

Console.WriteLine($"collections {GC.CollectionCount(0)} {GC.CollectionCount(1)} {GC.CollectionCount(2)}");
