using System.Runtime;
using System.Runtime.CompilerServices;
using RuntimeProfiling.Model;

namespace RuntimeProfiling.Sampling;

/// <content>Observation and accounting: what is new since the last look, what is lost, what may still be running.</content>
internal sealed partial class GcPauseCapture
{
    /// <summary>
    /// Records every collection the runtime can still show that is not recorded yet, and accounts for the
    /// rest. Called with the lock held, by the sentinel's finalizer after each GC and by every sampler read.
    /// </summary>
    /// <remarks>
    /// <para>
    /// The runtime keeps the latest collection of each kind (<see cref="GCKind.Ephemeral"/>,
    /// <see cref="GCKind.FullBlocking"/>, <see cref="GCKind.Background"/>) and which of them finished last
    /// (<see cref="GCKind.Any"/>). Indexes number every collection from 1 and the generation 0 count equals
    /// the latest index, so the count says how many collections started and the kinds say which can still be
    /// read. A blocking collection is recorded before it resumes the application, so once a later one is
    /// seen, an earlier one that was not is lost for good. A background collection takes its index when it
    /// starts and is recorded when it ends, after the ephemeral ones that ran during it.
    /// </para>
    /// <para>
    /// Only one background collection runs at a time, and no other generation 2 collection starts while it
    /// runs. So after a look, every unrecorded index is lost except possibly one: a background collection
    /// still running (<see cref="_hold"/>). The hold ends when it is recorded or when a later generation 2
    /// collection starts, which proves it is not running any more.
    /// </para>
    /// </remarks>
    private void Observe()
    {
        for (int attempt = 0; attempt < MaxConsistentReads; attempt++)
        {
            // Every collection adds to the generation 0 count: when it has not moved, there is nothing to read.
            long count0 = GC.CollectionCount(0);
            if (count0 == _seen0 && !_hold)
            {
                return;
            }

            long count1 = GC.CollectionCount(1);
            long count2 = GC.CollectionCount(2);
            TimeSpan paused = GC.GetTotalPauseDuration();

            var buffer = default(InfoBuffer);
            Span<GCMemoryInfo> reads = buffer;
            int n = 0;
            bool anyRead = count0 != _seen0;
            if (anyRead)
            {
                reads[n++] = Read(GCKind.Any);

                // Any shows only the collection that finished last: when that is not an ephemeral one and the
                // gap holds more, the latest ephemeral collection can still be read.
                if (KindOf(reads[0]) != GcCollectionKind.Ephemeral && count0 - _seen0 > (InGap(reads[0]) ? 1 : 0))
                {
                    reads[n++] = Read(GCKind.Ephemeral);
                }
            }

            long newGen2 = anyRead && InGap(reads[0]) && KindOf(reads[0]) != GcCollectionKind.Ephemeral ? 1 : 0;
            bool unexplainedGen2 = count2 - _seen2 > newGen2;
            if (unexplainedGen2)
            {
                reads[n++] = Read(GCKind.FullBlocking);
            }

            if (unexplainedGen2 || _hold)
            {
                reads[n++] = Read(GCKind.Background);
            }

            // The cut holds only if no collection ran while we read; otherwise look again.
            if (GC.CollectionCount(0) == count0)
            {
                Apply(new Cut(count0, count1, count2, paused), reads[..n], anyRead);
                return;
            }
        }

        // Collections kept running during every attempt: the next observation covers them.
    }

    private void Apply(Cut cut, Span<GCMemoryInfo> reads, bool anyRead)
    {
        long count0 = cut.Count0;
        long count2 = cut.Count2;
        DateTimeOffset now = _timeProvider.GetUtcNow();
        long previous0 = _seen0;

        // What the Any read returned finished last, so it is recorded last; the rest in index order.
        Span<GCMemoryInfo> recovered = anyRead ? reads[1..] : reads;
        recovered.Sort(static (a, b) => a.Index.CompareTo(b.Index));

        int gen2InGap = 0;
        long maxGen2InGap = 0;
        bool heldRecorded = false;
        bool wasHolding = _hold;
        int recordedInGap = 0;
        int gen1OrHigherInGap = 0;
        long pauseTicksInGap = 0;
        Span<long> recordedIndexes = stackalloc long[InfoBuffer.Length];
        int recordedCount = 0;
        for (int i = 0; i < reads.Length; i++)
        {
            ref readonly GCMemoryInfo info = ref (anyRead ? ref reads[(i + 1) % reads.Length] : ref reads[i]);
            if (!IsNew(info))
            {
                continue;
            }

            GcCollectionKind kind = KindOf(info);
            _lastIndex[(int)kind] = info.Index;
            long pauseTicks = Record(info, kind, now);
            _latest = info;
            _latestObservedAt = now;
            _hasLatest = true;
            recordedIndexes[recordedCount++] = info.Index;
            if (info.Index > previous0)
            {
                recordedInGap++;
                gen1OrHigherInGap += info.Generation >= 1 ? 1 : 0;
                pauseTicksInGap += pauseTicks;
            }

            if (kind == GcCollectionKind.Ephemeral)
            {
                continue;
            }

            if (info.Index > previous0)
            {
                gen2InGap++;
                maxGen2InGap = Math.Max(maxGen2InGap, info.Index);
            }
            else if (kind == GcCollectionKind.Background && _hold)
            {
                heldRecorded = true;
            }
        }

        long started2 = count2 - _seen2;
        if (_hold && (heldRecorded || started2 > 0))
        {
            _hold = false;
        }

        if (started2 > gen2InGap && GCSettings.LatencyMode != GCLatencyMode.Batch)
        {
            // A background collection still running started after every generation 2 collection recorded
            // in this gap: it may be running only if an index above them is unaccounted for.
            long floor = Math.Max(previous0, maxGen2InGap);
            int above = 0;
            foreach (long index in recordedIndexes[..recordedCount])
            {
                above += index > floor ? 1 : 0;
            }

            _hold = count0 - floor - above > 0;
        }

        if (!wasHolding && !_hold && started2 == gen2InGap)
        {
            RecoverSingleLoss(
                lost: count0 - previous0 - recordedInGap,
                lostGeneration: cut.Count1 - _cut.Count1 - gen1OrHigherInGap,
                lostPauseTicks: (cut.PauseTotal - _cut.PauseTotal).Ticks - pauseTicksInGap);
        }

        _expected += count0 - previous0;
        _seen0 = count0;
        _seen2 = count2;
        _cut = cut;
        UpdateMissed();
    }

    /// <summary>
    /// Records a gap's one lost collection from the runtime's totals, when they pin it down: the change of
    /// the pause total minus the pauses recorded in the gap is its pause, and the change of the generation 1
    /// count minus the recorded collections of generation 1 and 2 is its generation (a generation 1 collection
    /// adds 1 to that count, a generation 0 one nothing). Called only for a gap with no generation 2
    /// collection lost and no background collection running at either end, whose pauses would straddle it.
    /// </summary>
    /// <remarks>
    /// The runtime adds each collection's recorded pause, in whole microseconds, to its total, so the value
    /// is the one a read would have given. The rest of the collection's detail is gone: it is in the
    /// histogram, not in the collection list (lanes count it as omitted).
    /// </remarks>
    private void RecoverSingleLoss(long lost, long lostGeneration, long lostPauseTicks)
    {
        if (lost != 1 || lostGeneration is not (0 or 1) || lostPauseTicks < 0)
        {
            return;
        }

        RecordPause(SeriesOf(GcCollectionKind.Ephemeral, (int)lostGeneration), lostPauseTicks);
        _recovered++;
    }

    /// <summary>
    /// Whether a read shows a collection to record: one not recorded yet that started since the last look, or
    /// the background collection held as possibly running. Everything else at or below the last look was
    /// already counted, as recorded or as missed, and counting it again would break the accounting.
    /// </summary>
    private bool IsNew(in GCMemoryInfo info) =>
        info.Index > _base && info.Index > _lastIndex[(int)KindOf(info)] && (info.Index > _seen0 || (_hold && info.Concurrent));

    /// <summary>Whether a read shows a collection not recorded yet that started since the last look.</summary>
    private bool InGap(in GCMemoryInfo info) => IsNew(info) && info.Index > _seen0;

    /// <summary>The runtime's counts at one observation, read with no collection in between: what the histogram accounts for.</summary>
    private readonly record struct Cut(long Count0, long Count1, long Count2, TimeSpan PauseTotal);

    /// <summary>Room for the reads of one observation: Any, and at most three of the kinds.</summary>
    [InlineArray(Length)]
    private struct InfoBuffer
    {
        public const int Length = 4;

        private GCMemoryInfo _element0;
    }
}
