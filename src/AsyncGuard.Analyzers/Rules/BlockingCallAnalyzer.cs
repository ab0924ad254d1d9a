using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AsyncGuard.Rules;

/// <summary>
/// Flags synchronous calls inside async code that have an awaitable twin <c>XAsync</c> with the
/// same arguments (AGD0002 when the call blocks a thread on I/O or a wait, AGD0006 when the
/// call merely has an async overload), and a curated list of blocking waits with no twin
/// (AGD0002, fixed by offloading them with <c>await Task.Run</c>).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class BlockingCallAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: which fix applies, <see cref="FixTwin"/> or <see cref="FixOffload"/>; absent when none.</summary>
    public const string FixProperty = "Fix";

    /// <summary>Diagnostic property: the name of the async twin to call.</summary>
    public const string TwinProperty = "Twin";

    /// <summary>Diagnostic property: the token expression to pass as the twin's trailing argument, when one is passed.</summary>
    public const string TokenProperty = "Token";

    /// <summary>Diagnostic property: the name of the twin's token parameter (for a named argument).</summary>
    public const string TokenParameterProperty = "TokenParameter";

    /// <summary>Diagnostic property: "true" when the awaited value may take <c>.ConfigureAwait(false)</c>.</summary>
    public const string ConfigurableProperty = "Configurable";

    public const string FixTwin = "Twin";
    public const string FixOffload = "Offload";

    // Test frameworks' assertion namespaces: asserts that exercise the sync API are deliberate.
    private static readonly string[] AssertNamespaces = { "Xunit", "NUnit.Framework", "Microsoft.VisualStudio.TestTools.UnitTesting" };

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.AGD0002_BlockingCall, Descriptors.AGD0006_PreferAsyncOverload);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (KnownSymbols.From(start.Compilation) is not { } symbols) return;
            var testCode = TestCode.For(start.Compilation, start.Options);
            if (testCode.SilencesEverywhere(SupportedDiagnostics)) return;
            var state = new CompilationState(symbols);
            start.RegisterOperationAction(c => { if (!testCode.SilencesAll(SupportedDiagnostics, c.Operation.Syntax.SyntaxTree)) state.AnalyzeInvocation(c); }, OperationKind.Invocation);
        });
    }

    /// <summary>The lists of one <c>.editorconfig</c> options object, parsed once.</summary>
    private sealed class ParsedOptions
    {
        public static readonly ParsedOptions Empty = new(ImmutableArray<Regex>.Empty, ImmutableArray<Regex>.Empty);

        public ParsedOptions(ImmutableArray<Regex> excluded, ImmutableArray<Regex> extra)
        {
            Excluded = excluded;
            Extra = extra;
        }

        public ImmutableArray<Regex> Excluded { get; }
        public ImmutableArray<Regex> Extra { get; }
    }

    /// <summary>The per-compilation state: the blocking tables and the option cache.</summary>
    private sealed class CompilationState
    {
        private readonly KnownSymbols symbols;
        private readonly BlockingApis blocking;
        private readonly OptionCache<ParsedOptions> options = new(Parse);
        private readonly INamedTypeSymbol? queryable;

        public CompilationState(KnownSymbols symbols)
        {
            this.symbols = symbols;
            blocking = BlockingApis.For(symbols);
            queryable = symbols.Lookup("System.Linq.IQueryable`1");
        }

        public void AnalyzeInvocation(OperationAnalysisContext context)
        {
            var invocation = (IInvocationOperation)context.Operation;
            var method = invocation.TargetMethod;

            // Cheap exits first: this runs on every call of the compilation.
            if (method.Name.EndsWith("Async", System.StringComparison.Ordinal)) return;
            if (method.Name is "Dispose" or "Close") return;
            if (method.MethodKind is not (MethodKind.Ordinary or MethodKind.ReducedExtension)) return;
            if (method.ContainingType is null) return;

            // Most calls have no twin and are not curated: that answer is cached per method definition.
            var original = (method.ReducedFrom ?? method).OriginalDefinition;
            var info = blocking.Method(original);
            var parsed = options.Get(context.Options, invocation.Syntax.SyntaxTree);
            var extra = !parsed.Extra.IsEmpty && Matches(parsed.Extra, original);
            var twins = info.Twins;
            if (!twins.HasTwin && !info.Curated && !extra)
            {
                // An extension call whose twin is an instance method of its receiver, or a query provider's extension.
                if (!method.IsExtensionMethod && method.ReducedFrom is null) return;
                if (invocation.SemanticModel is not { } lookupModel || blocking.IsSilentType(method.ContainingType)) return;
                if (!AsyncContext.IsAsyncContext(invocation, context.ContainingSymbol, symbols)) return;
                twins = blocking.Overloads.FindExtensionTwins(invocation, lookupModel, queryable);
                if (!twins.HasTwin) return;
            }

            if (!method.ReturnsVoid && symbols.IsAsyncReturnType(method.ReturnType)) return;
            if (blocking.IsSilentType(method.ContainingType)) return;
            if (!AsyncContext.IsAsyncContext(invocation, context.ContainingSymbol, symbols)) return;
            if (!parsed.Excluded.IsEmpty && Matches(parsed.Excluded, original)) return;
            if (IsSilent(invocation, original, twins, context.ContainingSymbol)) return;

            var isBlocking = info.Curated || extra || info.BlockingType;
            var properties = ImmutableDictionary<string, string?>.Empty;
            var model = invocation.SemanticModel;
            var call = Display(original);
            twins = UsableTwins(twins, method, model, invocation.Syntax.SpanStart);
            if (!twins.HasTwin && !info.Curated && !extra) return;
            if (twins.HasTwin)
            {
                var twinDisplay = ((twins.Plain ?? twins.WithToken)?.ContainingType ?? original.ContainingType).Name + "." + twins.Name;
                var token = model is null ? null : AsyncContext.FindTokenInScope(model, invocation.Syntax, symbols);
                var twin = ChooseTwin(twins, token, out var passToken);
                if (!isBlocking && twin is not null && AsyncTwin.IsBuiltOnSync(twin, original, context.ContainingSymbol, context.CancellationToken)) return;
                if (twin is not null && IsAccessible(twin, context.ContainingSymbol) && CanFixTwin(invocation))
                {
                    properties = properties.Add(FixProperty, FixTwin).Add(TwinProperty, twin.Name);
                    if (passToken && token is not null)
                    {
                        properties = properties.Add(TokenProperty, token.Expression)
                            .Add(TokenParameterProperty, twin.Parameters[twin.Parameters.Length - 1].Name);
                    }

                    if (symbols.IsTaskType(twin.ReturnType)) properties = properties.Add(ConfigurableProperty, "true");
                }

                context.ReportDiagnostic(isBlocking
                    ? Diagnostic.Create(Descriptors.AGD0002_BlockingCall, invocation.Syntax.GetLocation(), properties, call, $"await '{twinDisplay}' instead")
                    : Diagnostic.Create(Descriptors.AGD0006_PreferAsyncOverload, invocation.Syntax.GetLocation(), properties, call, twinDisplay));
                return;
            }

            if (info.OffloadAllowed && CanOffload(invocation)) properties = properties.Add(FixProperty, FixOffload);
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.AGD0002_BlockingCall, invocation.Syntax.GetLocation(), properties, call,
                "it has no async form: offload it with 'await Task.Run(...)'"));
        }

        /// <summary>The twins the call can use: accessible at the call, and whose constraints its type arguments meet.</summary>
        private static AsyncTwins UsableTwins(AsyncTwins twins, IMethodSymbol call, SemanticModel? model, int position)
        {
            if (!twins.HasTwin || model is null) return twins;
            var plain = twins.Plain is { } p && AsyncOverloads.IsUsableAt(p, call, model, position) ? p : null;
            var withToken = twins.WithToken is { } t && AsyncOverloads.IsUsableAt(t, call, model, position) ? t : null;
            if ((plain is null) == (twins.Plain is null) && (withToken is null) == (twins.WithToken is null)) return twins;
            return new AsyncTwins(twins.Name, plain, withToken, twins.MemoryFormOnly, twins.AnyNamed);
        }

        private static string Display(IMethodSymbol method) => method.ContainingType.Name + "." + method.Name;

        private static bool IsAccessible(IMethodSymbol twin, ISymbol containing) =>
            twin.DeclaredAccessibility == Accessibility.Public
            || (containing.ContainingType is { } type && containing.ContainingAssembly is not null
                && (SymbolEqualityComparer.Default.Equals(twin.ContainingAssembly, containing.ContainingAssembly)
                    ? twin.DeclaredAccessibility != Accessibility.Private || SymbolEqualityComparer.Default.Equals(twin.ContainingType, type)
                    : twin.DeclaredAccessibility is Accessibility.Protected or Accessibility.ProtectedOrInternal
                        && KnownSymbols.InheritsFrom(type, twin.ContainingType.OriginalDefinition)));

        /// <summary>The twin overload to call: with the token when one is in scope, else the plain one.</summary>
        private static IMethodSymbol? ChooseTwin(AsyncTwins info, TokenInScope? token, out bool passToken)
        {
            passToken = false;
            if (token is not null && info.WithToken is not null)
            {
                passToken = true;
                return info.WithToken;
            }

            if (info.Plain is not null) return info.Plain;
            if (info.WithToken is { } withToken && withToken.Parameters[withToken.Parameters.Length - 1].IsOptional) return withToken;
            return null;
        }

        /// <summary>The twin fix renames the call: a plain <c>x.M(...)</c> or <c>M(...)</c>, not <c>x?.M(...)</c>.</summary>
        private static bool CanFixTwin(IInvocationOperation invocation) =>
            invocation.Syntax is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax or IdentifierNameSyntax or GenericNameSyntax }
            && !invocation.Arguments.Any(a => a.Value.Type?.IsRefLikeType == true || a.Parameter?.RefKind is RefKind.Ref or RefKind.Out);

        /// <summary>
        /// <c>await Task.Run(() => call)</c> gives back the same value and exceptions only when the
        /// call can move into a lambda: no ref-like or by-reference values, no struct <c>this</c>.
        /// </summary>
        private static bool CanOffload(IInvocationOperation invocation)
        {
            if (invocation.TargetMethod.ReturnsByRef || invocation.TargetMethod.ReturnsByRefReadonly) return false;
            if (invocation.Type?.IsRefLikeType == true) return false;
            if (invocation.Syntax is not InvocationExpressionSyntax) return false;
            foreach (var argument in invocation.Arguments)
            {
                if (argument.Parameter?.RefKind is RefKind.Ref or RefKind.Out or RefKind.In or RefKind.RefReadOnlyParameter) return false;
            }

            foreach (var operation in invocation.DescendantsAndSelf())
            {
                switch (operation)
                {
                    case ILocalReferenceOperation local when local.Local.IsRef || local.Local.Type.IsRefLikeType:
                    case IParameterReferenceOperation parameter when parameter.Parameter.RefKind != RefKind.None || parameter.Parameter.Type.IsRefLikeType:
                    case IInstanceReferenceOperation instance when instance.Type?.IsValueType == true:
                    case IAnonymousFunctionOperation:
                        return false;
                    case IOperation other when other.Type?.IsRefLikeType == true:
                        return false;
                }
            }

            return true;
        }

        private static ParsedOptions Parse(AnalyzerOptions analyzerOptions, SyntaxTree tree)
        {
            var excluded = Options.GetList(analyzerOptions, tree, Options.AGD0002.ExcludedMethods);
            var extra = Options.GetList(analyzerOptions, tree, Options.AGD0002.ExtraBlockingMethods);
            if (excluded.IsEmpty && extra.IsEmpty) return ParsedOptions.Empty;
            return new ParsedOptions(excluded.Select(Pattern).ToImmutableArray(), extra.Select(Pattern).ToImmutableArray());
        }

        private static Regex Pattern(string id) =>
            new("^" + Regex.Escape(id).Replace("\\*", ".*") + "$", RegexOptions.CultureInvariant);

        /// <summary>A documentation-id pattern matches the method (M:), its type or a base-less type prefix (T:), or its namespace (N:).</summary>
        private static bool Matches(ImmutableArray<Regex> patterns, IMethodSymbol method)
        {
            var methodId = method.GetDocumentationCommentId();
            var typeId = method.ContainingType.GetDocumentationCommentId();
            var namespaceId = method.ContainingNamespace is { IsGlobalNamespace: false } ns ? "N:" + ns.ToDisplayString() : null;
            foreach (var pattern in patterns)
            {
                if (methodId is not null && pattern.IsMatch(methodId)) return true;
                if (typeId is not null && pattern.IsMatch(typeId)) return true;
                if (namespaceId is not null && pattern.IsMatch(namespaceId)) return true;
            }

            return false;
        }

        // ---- the deliberate shapes that stay silent ----

        private bool IsSilent(IInvocationOperation invocation, IMethodSymbol method, AsyncTwins twins, ISymbol containingSymbol)
        {
            var type = method.ContainingType;
            var ns = type.ContainingNamespace?.ToDisplayString() ?? string.Empty;

            // EF Core: Add/AddRange's async forms exist only for special value generators;
            // CreateDbContext does no I/O. Matched by name: the package is optional.
            if (ns.StartsWith("Microsoft.EntityFrameworkCore", System.StringComparison.Ordinal)
                && method.Name is "Add" or "AddRange" or "CreateDbContext") return true;

            // Test asserts exercise the API they are given on purpose.
            if (type.Name.EndsWith("Assert", System.StringComparison.Ordinal)
                && AssertNamespaces.Any(a => ns == a || ns.StartsWith(a + ".", System.StringComparison.Ordinal))) return true;

            // A zero timeout is a non-blocking try, not a wait.
            if (blocking.IsZeroTimeoutProbe(invocation)) return true;

            if (invocation.Instance is { } receiver && blocking.IsInMemoryOrConsole(receiver, invocation.SemanticModel, depth: 0)) return true;

            if (!twins.HasTwin) return false;

            // Recursion: FooAsync implemented with Foo, or the sync path of its own twin.
            var twinName = twins.Name;
            if (containingSymbol.Name == twinName) return true;
            if (AsyncContext.GetEnclosingFunction(invocation, containingSymbol) is { } function && function.Name == twinName) return true;

            return IsDualPath(invocation, twinName);
        }

        /// <summary>
        /// The dual-path shape: the call sits in one branch of an <c>if</c> or <c>?:</c> whose other
        /// branch calls the twin. The condition selects sync or async mode on purpose.
        /// </summary>
        private static bool IsDualPath(IOperation invocation, string twinName)
        {
            var child = invocation;
            for (var current = invocation.Parent; current is not null; child = current, current = current.Parent)
            {
                if (current is IAnonymousFunctionOperation or ILocalFunctionOperation or IMethodBodyOperation) return false;
                if (current is not IConditionalOperation conditional) continue;
                var other = conditional.WhenTrue == child ? conditional.WhenFalse : conditional.WhenFalse == child ? conditional.WhenTrue : null;
                if (other is null) continue;
                if (other.Syntax.DescendantNodesAndSelf().OfType<InvocationExpressionSyntax>().Any(i => InvokedName(i) == twinName)) return true;
            }

            return false;
        }

        private static string? InvokedName(InvocationExpressionSyntax invocation) => invocation.Expression switch
        {
            MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
            MemberBindingExpressionSyntax binding => binding.Name.Identifier.ValueText,
            SimpleNameSyntax name => name.Identifier.ValueText,
            _ => null,
        };
    }
}
