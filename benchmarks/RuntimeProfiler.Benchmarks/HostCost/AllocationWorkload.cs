namespace RuntimeProfiling.Benchmarks.HostCost;

/// <summary>
/// A fixed amount of allocation-heavy work: objects of several sizes built and dropped, a share kept long
/// enough to be promoted, and large arrays on the large object heap, so collections of every generation happen.
/// The same seed and the same number of operations every run.
/// </summary>
internal static class AllocationWorkload
{
    public static long Run(long operations, int threads)
    {
        long checksum = 0;
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
        {
            var random = new Random(42 + t);
            var survivors = new object[16_384];
            var large = new byte[8][];
            long local = 0;
            long share = operations / threads;
            for (long i = 0; i < share; i++)
            {
                int size = (i % 7) switch
                {
                    0 => 24,
                    1 => 96,
                    2 => 400,
                    3 => 1_500,
                    4 => 64,
                    5 => 8,
                    _ => 3_000,
                };
                var item = new byte[size];
                item[0] = (byte)i;
                local += item.Length;
                if ((i & 31) == 0)
                {
                    survivors[random.Next(survivors.Length)] = item;
                }

                if ((i & 4095) == 0)
                {
                    large[random.Next(large.Length)] = new byte[100_000 + random.Next(50_000)];
                }
            }

            Interlocked.Add(ref checksum, local + survivors.Length + large.Length);
        });
        return checksum;
    }
}
