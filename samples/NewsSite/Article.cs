namespace NewsSite;

/// <summary>A published article: its section (null when it has none) and its text.</summary>
internal sealed record Article(string? Section, string Text)
{
    private static readonly string?[] Sections = ["politics", "politics", "politics", "sports", "culture", null];
    private static readonly string[] Words = ["the", "minister", "said", "match", "vote", "final", "season", "city", "new", "report"];

    /// <summary>A reproducible feed of articles with 50 to 300 words each.</summary>
    public static IEnumerable<Article> Feed(int count, int seed = 42)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var words = Enumerable.Range(0, random.Next(50, 301)).Select(_ => Words[random.Next(Words.Length)]);
            yield return new Article(Sections[random.Next(Sections.Length)], string.Join(' ', words));
        }
    }
}
