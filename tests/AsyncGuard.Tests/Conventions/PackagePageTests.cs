using System;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;

namespace AsyncGuard.Tests.Conventions;

/// <summary>
/// The package's README (its page in the package gallery and the IDE's package manager) and
/// its release notes are made from the descriptors, so that the rule table, the presets and the
/// notes never drift from what ships. Run with ASYNCGUARD_REGENERATE=1 to rewrite them.
/// </summary>
public sealed class PackagePageTests
{
    [Fact]
    public void PackageReadme_MatchesDescriptors() => AssertGenerated(Repository.PathOf("src", "AsyncGuard.Package", "README.md"), RenderReadme());

    [Fact]
    public void ReleaseNotes_MatchDescriptors() => AssertGenerated(Repository.PathOf("src", "AsyncGuard.Package", "ReleaseNotes.txt"), RenderReleaseNotes());

    [Fact]
    public void ReleaseNotes_NameRulesNotClasses()
    {
        var notes = RenderReleaseNotes();
        foreach (var analyzer in Repository.Analyzers)
            Assert.DoesNotContain(analyzer.GetType().Name, notes, StringComparison.Ordinal);
        foreach (var descriptor in Repository.Descriptors)
            Assert.Contains($"{descriptor.Id} {descriptor.Title}", notes, StringComparison.Ordinal);
    }

    private static void AssertGenerated(string path, string expected)
    {
        if (Environment.GetEnvironmentVariable("ASYNCGUARD_REGENERATE") == "1") File.WriteAllText(path, expected);
        Assert.True(File.Exists(path), $"{path} is missing (run with ASYNCGUARD_REGENERATE=1)");
        Assert.Equal(expected, File.ReadAllText(path).ReplaceLineEndings("\n"));
    }

    private static bool HasFix(DiagnosticDescriptor descriptor) =>
        Repository.Fixers.Any(f => f.FixableDiagnosticIds.Contains(descriptor.Id));

    private static string Severity(DiagnosticDescriptor descriptor) => PresetTests.Severity("recommended", descriptor);

    internal static string RenderReadme()
    {
        var b = new StringBuilder();
        b.Append("""
            # AsyncGuard

            Roslyn analyzers and code fixes for the async pitfalls of C#, the ones Python's asyncio
            taught the hard way:

            - **Blocking the event loop**: `Thread.Sleep`, synchronous I/O and blocking waits inside
              async code.
            - **Sync over async**: `.Result`, `.Wait()`, `.GetAwaiter().GetResult()`.
            - **Fire and forget**: unobserved tasks, `async void`, async lambdas turned into `Action`.
            - **Swallowed cancellation**: `catch (OperationCanceledException) { }` and carrying on.

            Every rule has a doc page (linked from each diagnostic) and a code fix wherever a correct
            one exists; the fixes work in the IDE light bulb, in Fix All and in
            `dotnet format analyzers`. The package is a development dependency: it adds analyzers to
            the build and nothing to your output.

            ## Rules

            | Id | Title | Category | Default | Fix |
            |----|-------|----------|---------|-----|

            """.ReplaceLineEndings("\n"));
        foreach (var d in Repository.Descriptors)
            b.Append($"| [{d.Id}]({d.HelpLinkUri}) | {d.Title} | {d.Category} | {Severity(d)} | {(HasFix(d) ? "yes" : "no")} |\n");

        b.Append("""

            ## Presets

            Set the MSBuild property `AsyncGuardMode` in the project or in `Directory.Build.props`:

            | Mode | What it turns on |
            |------|------------------|
            | `recommended` (default) | every rule at its default severity: warnings where precision is high, suggestions elsewhere |
            | `strict` | every rule as a warning |
            | `minimal` | the four asyncio families (blocking, sync over async, fire and forget, cancellation) at their defaults; task-lifetime rules off |
            | `none` | every rule off |

            Another value gives the build warning `AGDMODE01` (not a rule), and the defaults apply. Your
            own `.editorconfig` or `.globalconfig` lines always win over a preset.

            ## Configure

            ```ini
            [*.cs]
            dotnet_diagnostic.AGD0001.severity = error
            dotnet_diagnostic.AGD0006.severity = none
            ```

            Rule options use `asyncguard.<id>.<option>` keys, listed on each rule's page. Suppress one
            finding with `#pragma warning disable AGD0001` or `[SuppressMessage("AsyncGuard", "AGD0001")]`.

            ## Fixing in bulk

            ```
            dotnet format analyzers --severity info --diagnostics AGD0001 AGD0003 AGD0010
            ```

            Always pass `--diagnostics`: without it `dotnet format analyzers` also applies every other
            analyzer's fixes in the project, some of which can break the build.

            ## Compatibility

            The package carries two builds; the compiler loads the newest one it supports:
            - `roslyn4.14`: .NET SDK 9.0.300 and later (including .NET 10), Visual Studio 2022 17.14
              and later, current Rider and VS Code;
            - `roslyn4.8`: .NET SDK 8.0.100 and later, Visual Studio 2022 17.8 to 17.13.

            """.ReplaceLineEndings("\n"));
        return b.ToString();
    }

    internal static string RenderReleaseNotes()
    {
        var b = new StringBuilder();
        var descriptors = Repository.Descriptors;
        b.Append($"First release: {descriptors.Length} rules, {descriptors.Count(HasFix)} of them with a code fix (IDE light bulb, Fix All, dotnet format analyzers).\n");
        b.Append("Rules (id, title, default severity, fix):\n");
        foreach (var d in descriptors)
            b.Append($"- {d.Id} {d.Title} ({Severity(d)}{(HasFix(d) ? ", fix" : "")})\n");
        b.Append("Presets with the MSBuild property AsyncGuardMode: recommended (default), strict, minimal, none.\n");
        b.Append("Loads in Roslyn 4.8 and later hosts: the .NET 8 SDK, Visual Studio 2022 17.8 and later, Rider, VS Code.\n");
        return b.ToString();
    }
}
