using System;
using System.Collections.Generic;
using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace AsyncGuard.Tests.Verifiers;

/// <summary>One marked span: <c>[|..|]</c> (Label null), <c>{|AGD0001:..|}</c> (Label "AGD0001") or <c>{|#0:..|}</c> (Label "#0").</summary>
public sealed record MarkedSpan(string? Label, TextSpan Span);

/// <summary>
/// The test markup: <c>[|...|]</c> for a diagnostic of the rule under test,
/// <c>{|ID:...|}</c> for a diagnostic with that id (compiler errors too: <c>{|CS0103:...|}</c>),
/// <c>{|#N:...|}</c> for location N of an expected diagnostic given in code. Markup nests.
/// </summary>
public static class Markup
{
    public static (string Source, List<MarkedSpan> Spans) Parse(string markup)
    {
        var text = new StringBuilder(markup.Length);
        var spans = new List<MarkedSpan>();
        var open = new Stack<(string? Label, int Start, bool Square)>();
        for (var i = 0; i < markup.Length; i++)
        {
            if (At(markup, i, "[|"))
            {
                open.Push((null, text.Length, true));
                i++;
            }
            else if (At(markup, i, "{|") && markup.IndexOf(':', i + 2) is var colon and > 0 && IsLabel(markup, i + 2, colon))
            {
                open.Push((markup.Substring(i + 2, colon - i - 2), text.Length, false));
                i = colon;
            }
            else if (At(markup, i, "|]") && open.Count > 0 && open.Peek().Square)
            {
                var (label, start, _) = open.Pop();
                spans.Add(new MarkedSpan(label, TextSpan.FromBounds(start, text.Length)));
                i++;
            }
            else if (At(markup, i, "|}") && open.Count > 0 && !open.Peek().Square)
            {
                var (label, start, _) = open.Pop();
                spans.Add(new MarkedSpan(label, TextSpan.FromBounds(start, text.Length)));
                i++;
            }
            else
            {
                text.Append(markup[i]);
            }
        }

        if (open.Count > 0) throw new InvalidOperationException("Unclosed markup span in test source.");
        spans.Sort((a, b) => a.Span.Start != b.Span.Start ? a.Span.Start.CompareTo(b.Span.Start) : a.Span.End.CompareTo(b.Span.End));
        return (text.ToString(), spans);
    }

    /// <summary>The source with each (id, span) pair written back as markup, for failure messages.</summary>
    public static string Annotate(string source, IEnumerable<(string Id, TextSpan Span)> diagnostics)
    {
        var inserts = new List<(int Position, int Order, string Text)>();
        foreach (var (id, span) in diagnostics)
        {
            inserts.Add((span.Start, 1, "{|" + id + ":"));
            inserts.Add((span.End, 0, "|}"));
        }

        inserts.Sort((a, b) => a.Position != b.Position ? b.Position.CompareTo(a.Position) : b.Order.CompareTo(a.Order));
        var builder = new StringBuilder(source);
        foreach (var (position, _, insertText) in inserts) builder.Insert(position, insertText);
        return builder.ToString();
    }

    private static bool At(string s, int i, string token) => string.CompareOrdinal(s, i, token, 0, token.Length) == 0;

    private static bool IsLabel(string s, int start, int end)
    {
        if (end <= start || end - start > 40) return false;
        for (var i = start; i < end; i++)
        {
            if (!(char.IsLetterOrDigit(s[i]) || s[i] == '#' || s[i] == '_')) return false;
        }

        return true;
    }
}
