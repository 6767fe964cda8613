using System.Runtime.CompilerServices;
using Microsoft.ML.Data;

namespace Engagement.Classifier;

/// <summary>
/// Hashed character n-grams of each normalised word, with "&lt;" and "&gt;" marking word edges, as an L2-normalised
/// sparse vector. They make the model tolerant of misspellings ("dentsit" shares "&lt;den" and "ent" grams with
/// "dentist"). Computed in C# rather than with ML.NET's per-character key transforms, which cost about a second
/// per 100k comments; hashing is fixed (FNV-1a plus a final mix) so the saved model stays valid.
/// </summary>
public static class CharGrams
{
    public const int Bits = 15;
    public const int Size = 1 << Bits;
    private const int MaxWord = 40;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static VBuffer<float> Vector(IReadOnlyList<string> tokens, int[] lengths)
    {
        if (lengths.Length == 0 || tokens.Count == 0) return new VBuffer<float>(Size, 0, [], []);
        var hashes = new List<int>(tokens.Count * 8);
        Span<char> padded = stackalloc char[MaxWord + 2];
        foreach (var token in tokens)
        {
            var word = token.AsSpan(0, Math.Min(token.Length, MaxWord));
            padded[0] = '<';
            word.CopyTo(padded[1..]);
            padded[word.Length + 1] = '>';
            var w = padded[..(word.Length + 2)];
            foreach (var n in lengths)
            {
                if (w.Length <= n)
                {
                    hashes.Add(Hash(w, n));
                    continue;
                }
                for (var i = 0; i + n <= w.Length; i++) hashes.Add(Hash(w.Slice(i, n), n));
            }
        }

        hashes.Sort();
        var indices = new int[hashes.Count];
        var values = new float[hashes.Count];
        var count = 0;
        foreach (var h in hashes)
        {
            if (count > 0 && indices[count - 1] == h) values[count - 1]++;
            else { indices[count] = h; values[count] = 1; count++; }
        }
        double norm = 0;
        for (var i = 0; i < count; i++) norm += values[i] * values[i];
        var scale = (float)(1 / Math.Sqrt(norm));
        for (var i = 0; i < count; i++) values[i] *= scale;
        return new VBuffer<float>(Size, count, values, indices);
    }

    private static int Hash(ReadOnlySpan<char> gram, int n)
    {
        var h = 2166136261u ^ (uint)n;
        foreach (var c in gram) h = (h ^ c) * 16777619u;
        // FNV's low bits mix poorly; finish with murmur3's avalanche before taking the low bits.
        h ^= h >> 16;
        h *= 0x85ebca6b;
        h ^= h >> 13;
        h *= 0xc2b2ae35;
        h ^= h >> 16;
        return (int)(h & (Size - 1));
    }
}
