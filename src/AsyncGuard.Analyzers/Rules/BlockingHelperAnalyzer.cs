using System.Collections.Concurrent;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AsyncGuard.Rules;

/// <summary>
/// Flags a call, in async code, to a synchronous method, constructor or property getter of this
/// compilation whose body blocks the thread (what AGD0001/AGD0002/AGD0003 would report there),
/// directly or through further such members, up to <see cref="MaxDepth"/> members deep. The
/// per-member summaries are computed when an async caller first asks and cached per compilation:
/// no compilation-end action, so the rule works live in the editor.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class BlockingHelperAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: which fix applies, <see cref="FixTwin"/> or <see cref="FixOffload"/>; absent when none.</summary>
    public const string FixProperty = "Fix";

    /// <summary>Diagnostic property: the name of the helper's async twin to await.</summary>
    public const string TwinProperty = "Twin";

    /// <summary>Diagnostic property: the token expression to pass as the twin's trailing argument, when one is passed.</summary>
    public const string TokenProperty = "Token";

    /// <summary>Diagnostic property: "true" when the awaited value may take <c>.ConfigureAwait(false)</c>.</summary>
    public const string ConfigurableProperty = "Configurable";

    public const string FixTwin = "Twin";
    public const string FixOffload = "Offload";

    /// <summary>How many members a chain may have, the called one included.</summary>
    internal const int MaxDepth = 4;

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.AGD0040_BlockingHelper);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (KnownSymbols.From(start.Compilation) is not { } symbols) return;
            var testCode = TestCode.For(start.Compilation, start.Options);
            if (testCode.SilencesEverywhere(SupportedDiagnostics)) return;
            var state = new CompilationState(start.Compilation, symbols);
            start.RegisterOperationAction(
                c => { if (!testCode.Silences(Descriptors.AGD0040_BlockingHelper, c.Operation.Syntax.SyntaxTree)) state.Analyze(c); },
                OperationKind.Invocation, OperationKind.ObjectCreation, OperationKind.PropertyReference);
        });
    }

    /// <summary>What a member's own body does: its first direct blocking call, and the source members it calls.</summary>
    private sealed class BodyFacts
    {
        public static readonly BodyFacts Empty = new(null, null, ImmutableArray<IMethodSymbol>.Empty);

        public BodyFacts(BlockingReason? reason, Location? location, ImmutableArray<IMethodSymbol> callees)
        {
            Reason = reason;
            Location = location;
            Callees = callees;
        }

        public BlockingReason? Reason { get; }
        public Location? Location { get; }
        public ImmutableArray<IMethodSymbol> Callees { get; }
    }

    /// <summary>Why a member blocks: the blocking call, where it is, and the members it is reached through.</summary>
    private sealed class Summary
    {
        public static readonly Summary None = new(null, null, ImmutableArray<IMethodSymbol>.Empty);

        public Summary(BlockingReason? reason, Location? location, ImmutableArray<IMethodSymbol> via)
        {
            Reason = reason;
            Location = location;
            Via = via;
        }

        public BlockingReason? Reason { get; }
        public Location? Location { get; }
        public ImmutableArray<IMethodSymbol> Via { get; }
    }

    /// <summary>The per-compilation state: the body facts and summaries of the members asked about so far.</summary>
    private sealed class CompilationState
    {
        private readonly Compilation compilation;
        private readonly KnownSymbols symbols;
        private readonly BlockingApis blocking;
        private readonly ConcurrentDictionary<IMethodSymbol, BodyFacts> bodies = new(SymbolEqualityComparer.Default);
        private readonly ConcurrentDictionary<IMethodSymbol, Summary> summaries = new(SymbolEqualityComparer.Default);
        private readonly INamedTypeSymbol? textWriter;

        // One model per file of the helpers read, kept for the compilation's analysis.
        private readonly ConcurrentDictionary<SyntaxTree, SemanticModel> models = new();
        private readonly System.Func<SyntaxTree, SemanticModel> modelOf;

        public CompilationState(Compilation compilation, KnownSymbols symbols)
        {
            this.compilation = compilation;
            this.symbols = symbols;
            blocking = BlockingApis.For(symbols);
            textWriter = symbols.Lookup("System.IO.TextWriter");

            // The caller's model serves a helper in the caller's file. For another file this is the
            // compilation's model of that file, asked once per file: the analyzer driver gives
            // analyzers a compilation whose semantic model provider hands out the models it binds
            // for its own callbacks, so in the compiler and the IDE this shares their bound bodies
            // rather than binding the file again (what RS1030 warns of); elsewhere it is one model
            // per file, reused for every helper of that file.
#pragma warning disable RS1030 // Do not invoke Compilation.GetSemanticModel() method within a diagnostic analyzer
            modelOf = tree => this.compilation.GetSemanticModel(tree);
#pragma warning restore RS1030
        }

        public void Analyze(OperationAnalysisContext context)
        {
            var operation = context.Operation;

            // Cheap exits first: this runs on every call and property read of the compilation.
            if (Target(operation) is not { } member) return;
            if (summaries.TryGetValue(member, out var known) && known.Reason is null) return;
            if (!AsyncContext.IsAsyncContext(operation, context.ContainingSymbol, symbols)) return;
            if (OperationFacts.IsInNameOf(operation)) return;
            var summary = Summarize(member, operation.SemanticModel, context.CancellationToken);
            if (summary.Reason is not { } reason || summary.Location is null) return;

            // FooAsync built on Foo, and the dual-path shape, call the sync form on purpose.
            var function = AsyncContext.GetEnclosingFunction(operation, context.ContainingSymbol);
            var twinName = member.Name + "Async";
            if (function?.Name == twinName || context.ContainingSymbol.Name == twinName) return;
            if (IsDualPath(operation, twinName)) return;

            var properties = ImmutableDictionary<string, string?>.Empty;
            string advice;
            if (Twin(member, operation, context.CancellationToken, out var token) is { } twin)
            {
                properties = properties.Add(FixProperty, FixTwin).Add(TwinProperty, twin.Name);
                if (token is not null) properties = properties.Add(TokenProperty, token);
                if (symbols.IsTaskType(twin.ReturnType)) properties = properties.Add(ConfigurableProperty, "true");
                advice = $"await '{twin.Name}' instead";
            }
            else
            {
                if (CanOffload(operation)) properties = properties.Add(FixProperty, FixOffload);
                advice = "make it async, or offload it with 'await Task.Run(...)'";
            }

            var via = summary.Via.IsEmpty ? string.Empty : " (via " + string.Join(", ", summary.Via.Select(m => "'" + Display(m) + "'")) + ")";
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.AGD0040_BlockingHelper, operation.Syntax.GetLocation(), new[] { summary.Location }, properties,
                Display(member), reason.Call, via, advice));
        }

        /// <summary>
        /// The synchronous source member this operation runs on the caller's thread, as its
        /// definition: a method or local function whose target is known (not virtual dispatch),
        /// a constructor, a property getter. Null for members of metadata, async members,
        /// <c>Dispose</c>/<c>Close</c> (AGD0002's and AGD0031's business), writes of a property.
        /// </summary>
        private IMethodSymbol? Target(IOperation operation)
        {
            IMethodSymbol? method;
            switch (operation)
            {
                // Members of referenced assemblies are most of what runs through here: leave first.
                case IInvocationOperation { TargetMethod: var called } when !IsOwn(called):
                case IObjectCreationOperation { Constructor: var constructor } when !IsOwn(constructor):
                case IPropertyReferenceOperation { Property: var property } when !IsOwn(property):
                    return null;
                case IInvocationOperation invocation:
                    method = invocation.TargetMethod;
                    // A constructor is invoked here only by a constructor's ': this(...)' or ': base(...)'.
                    if (method.MethodKind is not (MethodKind.Ordinary or MethodKind.ReducedExtension or MethodKind.LocalFunction or MethodKind.Constructor)) return null;
                    if (invocation.IsVirtual && !method.IsSealed && !method.ContainingType.IsSealed) return null;
                    break;
                case IObjectCreationOperation creation:
                    method = creation.Constructor;
                    break;
                case IPropertyReferenceOperation reference:
                    method = reference.Property.GetMethod;
                    if (method is null || IsWritten(reference)) return null;
                    if ((method.IsVirtual || method.IsAbstract || method.IsOverride) && !method.IsSealed && !method.ContainingType.IsSealed
                        && reference.Syntax is not MemberAccessExpressionSyntax { Expression: BaseExpressionSyntax }) return null;
                    break;
                default:
                    return null;
            }

            if (method is null || method.IsAbstract || method.IsExtern || method.ContainingType is null) return null;
            if (method.IsAsync || (!method.ReturnsVoid && symbols.IsAsyncReturnType(method.ReturnType))) return null;
            if (method.Name is "Dispose" or "Close" or "DisposeCore") return null;
            method = (method.ReducedFrom ?? method).OriginalDefinition;
            return method.PartialImplementationPart ?? method;
        }

        private bool IsOwn(ISymbol? member) => member is not null && SymbolEqualityComparer.Default.Equals(member.ContainingAssembly, compilation.Assembly);

        private static bool IsWritten(IPropertyReferenceOperation reference) => reference.Parent switch
        {
            ISimpleAssignmentOperation assignment => assignment.Target == reference,
            ICompoundAssignmentOperation or ICoalesceAssignmentOperation or IIncrementOrDecrementOperation or IDeconstructionAssignmentOperation => true,
            _ => false,
        };

        /// <summary>
        /// The shortest chain, at most <see cref="MaxDepth"/> members long, from <paramref name="member"/>
        /// to a member whose own body blocks: a breadth-first walk over the body facts, so a cycle
        /// ends and the answer does not depend on which caller asked first.
        /// </summary>
        private Summary Summarize(IMethodSymbol member, SemanticModel? callerModel, System.Threading.CancellationToken cancellationToken)
        {
            if (summaries.TryGetValue(member, out var known)) return known;

            var visited = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default) { member };
            var level = new List<(IMethodSymbol Member, ImmutableArray<IMethodSymbol> Path)> { (member, ImmutableArray<IMethodSymbol>.Empty) };
            var result = Summary.None;
            for (var depth = 1; depth <= MaxDepth && level.Count > 0 && result == Summary.None; depth++)
            {
                var next = new List<(IMethodSymbol Member, ImmutableArray<IMethodSymbol> Path)>();
                foreach (var (current, path) in level)
                {
                    var facts = Body(current, callerModel, cancellationToken);
                    if (facts.Reason is not null)
                    {
                        result = new Summary(facts.Reason, facts.Location, path);
                        break;
                    }

                    if (depth == MaxDepth) continue;
                    foreach (var callee in facts.Callees)
                    {
                        if (visited.Add(callee)) next.Add((callee, path.Add(callee)));
                    }
                }

                level = next;
            }

            return summaries.GetOrAdd(member, result);
        }

        private BodyFacts Body(IMethodSymbol member, SemanticModel? callerModel, System.Threading.CancellationToken cancellationToken)
        {
            if (bodies.TryGetValue(member, out var known)) return known;
            return bodies.GetOrAdd(member, ComputeBody(member, callerModel, cancellationToken));
        }

        private BodyFacts ComputeBody(IMethodSymbol member, SemanticModel? callerModel, System.Threading.CancellationToken cancellationToken)
        {
            var reference = member.DeclaringSyntaxReferences.FirstOrDefault();
            if (reference is null) return BodyFacts.Empty;
            var syntax = reference.GetSyntax(cancellationToken);
            var hasBody = syntax switch
            {
                BaseMethodDeclarationSyntax method => method.Body is not null || method.ExpressionBody is not null,
                AccessorDeclarationSyntax accessor => accessor.Body is not null || accessor.ExpressionBody is not null,
                ArrowExpressionClauseSyntax => true,
                LocalFunctionStatementSyntax local => local.Body is not null || local.ExpressionBody is not null,
                _ => false,
            };
            if (!hasBody) return BodyFacts.Empty;

            var model = callerModel is not null && callerModel.SyntaxTree == syntax.SyntaxTree ? callerModel : models.GetOrAdd(syntax.SyntaxTree, modelOf);
            if (model.GetOperation(syntax, cancellationToken) is not { } root) return BodyFacts.Empty;

            BlockingReason? reason = null;
            Location? location = null;
            var callees = ImmutableArray.CreateBuilder<IMethodSymbol>();
            CompletionFacts? completion = null;
            var stack = new Stack<IOperation>();
            stack.Push(root);
            while (stack.Count > 0)
            {
                var operation = stack.Pop();

                // Lambdas and nested local functions run when someone calls them, often on another
                // thread (Task.Run); nameof runs nothing.
                if (operation != root && operation is IAnonymousFunctionOperation or ILocalFunctionOperation or INameOfOperation) continue;

                if (reason is null && blocking.Blocks(operation) is { } found && !IsExcused(operation, found, root, ref completion)
                    && !LazyInit.RunsOnce(operation, root))
                {
                    reason = found;
                    location = BlockingLocation(operation);
                }

                // A member reached only while a kept field is unset (_x ??= Load(), EnsureLoaded's
                // early exit) runs once per object, not per call: not a path the caller blocks on.
                if (Target(operation) is { } callee && !SymbolEqualityComparer.Default.Equals(callee, member) && !LazyInit.RunsOnce(operation, root)) callees.Add(callee);

                // Children pushed in reverse: the walk visits them in source order.
                var children = operation.ChildOperations.ToList();
                for (var i = children.Count - 1; i >= 0; i--) stack.Push(children[i]);
            }

            return reason is null && callees.Count == 0 ? BodyFacts.Empty : new BodyFacts(reason, location, callees.Distinct<IMethodSymbol>(SymbolEqualityComparer.Default).ToImmutableArray());
        }

        /// <summary>
        /// The blocking the direct rules leave alone (Dispose/Close, a wait on a task the completion
        /// facts prove complete); writes to a plain <c>TextWriter</c>: a helper's console or log
        /// output, buffered as a rule, where a report would rarely be worth acting on; and I/O on a
        /// parameter, which blocks or not by what each caller passes.
        /// </summary>
        private bool IsExcused(IOperation operation, BlockingReason reason, IOperation root, ref CompletionFacts? completion)
        {
            if (operation is IInvocationOperation { TargetMethod.Name: "Dispose" or "Close" }) return true;
            if (operation is IInvocationOperation { TargetMethod.Name: "Write" or "WriteLine" or "Flush", Instance: { } writer }
                && SymbolEqualityComparer.Default.Equals(OperationFacts.StripConversions(writer).Type, textWriter)) return true;

            // A project's own override of a blocking API (a test double's DbConnection.Open) is read
            // as a helper, not taken on the tables' word.
            if (reason.Kind != BlockingKind.TaskWait && operation is IInvocationOperation { TargetMethod: var target } && IsOwn(target)) return true;

            // A semaphore taken as a mutex around a short section (Wait, then a try whose finally
            // releases it): a lock, which the rule does not report as a 'lock' statement either.
            if (IsMutexSection(operation)) return true;

            // I/O on a reader or stream the caller passes in: whether it blocks is the caller's
            // argument's business (ParseCreds(TextReader) is called with a StringReader as often as not).
            if (reason.Kind == BlockingKind.BlockingIo && operation is IInvocationOperation { Instance: { } receiver }
                && OperationFacts.StripConversions(receiver) is IParameterReferenceOperation) return true;
            if (reason.Kind != BlockingKind.TaskWait || TaskWaits.Classify(operation, symbols) is not { Task: { } task }) return false;
            completion ??= CompletionFacts.Build(ImmutableArray.Create(root), symbols);
            return completion.IsComplete(task, operation);
        }

        /// <summary><c>gate.Wait(); try { ... } finally { gate.Release(); }</c>: the wait opens a critical section.</summary>
        private bool IsMutexSection(IOperation operation)
        {
            if (symbols.SemaphoreSlim is not { } semaphoreSlim
                || operation is not IInvocationOperation { TargetMethod.Name: "Wait", Arguments.Length: 0 } wait
                || !SemaphoreFacts.IsAcquire(wait, semaphoreSlim)
                || wait.Parent is not IExpressionStatementOperation statement
                || statement.Parent is not IBlockOperation block) return false;
            var index = block.Operations.IndexOf(statement);
            return index >= 0 && index + 1 < block.Operations.Length
                && block.Operations[index + 1] is ITryOperation { Finally: { } finallyBlock }
                && SemaphoreFacts.ReleasesUnconditionally(finallyBlock, wait.Instance!, semaphoreSlim);
        }

        /// <summary>Where the blocking call is shown, as AGD0003 shows a wait: <c>Result</c>, <c>Wait()</c>, <c>GetAwaiter().GetResult()</c>; otherwise the whole call.</summary>
        private Location BlockingLocation(IOperation operation)
        {
            var wait = TaskWaits.Classify(operation, symbols);
            SyntaxNode? start = wait?.Shape switch
            {
                null or TaskWaitShape.WaitAll or TaskWaitShape.WaitAny => null,
                TaskWaitShape.GetResult when operation is IInvocationOperation { Instance: { } getAwaiter } => getAwaiter.Syntax,
                _ => operation.Syntax,
            };
            if (start is null) return operation.Syntax.GetLocation();
            var target = start is InvocationExpressionSyntax invocation ? invocation.Expression : start;
            var nameStart = target switch
            {
                MemberAccessExpressionSyntax access => access.Name.SpanStart,
                MemberBindingExpressionSyntax binding => binding.Name.SpanStart,
                _ => start.SpanStart,
            };
            return Location.Create(operation.Syntax.SyntaxTree, Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(nameStart, operation.Syntax.Span.End));
        }

        /// <summary>
        /// The helper's own async twin in source, when awaiting it is right: accessible here, not
        /// itself built on the helper or blocking. <paramref name="token"/> is the token to pass
        /// when only the twin with a trailing token fits.
        /// </summary>
        private IMethodSymbol? Twin(IMethodSymbol member, IOperation operation, System.Threading.CancellationToken cancellationToken, out string? token)
        {
            token = null;
            if (operation is not IInvocationOperation invocation || invocation.Syntax is not InvocationExpressionSyntax syntax) return null;
            if (syntax.Expression is not (MemberAccessExpressionSyntax or IdentifierNameSyntax or GenericNameSyntax)) return null;
            if (member.MethodKind != MethodKind.Ordinary || invocation.TargetMethod.MethodKind == MethodKind.ReducedExtension) return null;
            var twins = blocking.Overloads.FindTwins(member);
            if (!twins.HasTwin || invocation.SemanticModel is not { } model) return null;

            var twin = twins.Plain;
            if (twin is null && twins.WithToken is { } withToken
                && syntax.ArgumentList.Arguments.All(a => a.NameColon is null)
                && syntax.ArgumentList.Arguments.Count == member.Parameters.Length
                && AsyncContext.FindTokenInScope(model, syntax, symbols) is { } inScope)
            {
                twin = withToken;
                token = inScope.Expression;
            }

            if (twin is null || !twin.Locations.Any(l => l.IsInSource) || !model.IsAccessible(syntax.SpanStart, twin)) return null;

            // A twin that calls the helper, or blocks itself, would move the blocking, not remove it.
            var facts = Body(twin.OriginalDefinition, model, cancellationToken);
            if (facts.Reason is not null || facts.Callees.Contains(member, SymbolEqualityComparer.Default)) return null;
            return twin;
        }

        /// <summary>
        /// <c>await Task.Run(() =&gt; call)</c> gives back the same value and exceptions only when the
        /// call can move into a lambda: no ref-like or by-reference values, no struct <c>this</c>.
        /// </summary>
        private static bool CanOffload(IOperation operation)
        {
            if (operation.Type?.IsRefLikeType == true) return false;
            if (operation is IInvocationOperation { TargetMethod: var method } && (method.ReturnsByRef || method.ReturnsByRefReadonly)) return false;
            if (operation is IPropertyReferenceOperation { Property: var property } && (property.ReturnsByRef || property.ReturnsByRefReadonly)) return false;
            foreach (var descendant in operation.DescendantsAndSelf())
            {
                switch (descendant)
                {
                    case IArgumentOperation argument when argument.Parameter?.RefKind is RefKind.Ref or RefKind.Out or RefKind.In or RefKind.RefReadOnlyParameter:
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

        /// <summary>
        /// The dual-path shape: the call sits in one branch of an <c>if</c> or <c>?:</c> whose other
        /// branch awaits or calls the twin. The condition selects sync or async mode on purpose.
        /// </summary>
        private static bool IsDualPath(IOperation operation, string twinName)
        {
            var child = operation;
            for (var current = operation.Parent; current is not null; child = current, current = current.Parent)
            {
                if (current is IAnonymousFunctionOperation or ILocalFunctionOperation or IMethodBodyOperation) return false;
                if (current is not IConditionalOperation conditional) continue;
                var other = conditional.WhenTrue == child ? conditional.WhenFalse : conditional.WhenFalse == child ? conditional.WhenTrue : null;
                if (other is null) continue;
                if (other.DescendantsAndSelf().Any(o => o is IAwaitOperation || o is IInvocationOperation { TargetMethod.Name: var name } && name == twinName)) return true;
            }

            return false;
        }

        /// <summary>The member as messages name it: <c>LoadSettings</c>, <c>Settings</c>, <c>new Client()</c>.</summary>
        private static string Display(IMethodSymbol member) => member.MethodKind switch
        {
            MethodKind.Constructor => "new " + member.ContainingType.Name + (member.Parameters.IsEmpty ? "()" : "(...)"),
            MethodKind.PropertyGet => member.AssociatedSymbol?.Name ?? member.Name,
            _ => member.Name,
        };
    }
}
