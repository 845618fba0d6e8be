(ns knossos.competition
  "STAND-IN for Knossos's knossos.competition, used only by Faultline's tests of its Knossos bridge.
  This is not Knossos and does no linearizability search. Its analysis has Knossos's signature and
  answers in Knossos's shape, chosen by the history it is given:

  - an op with :f :sleep      sleeps for a minute, ignoring any :time-limit (the bridge must give up)
  - an op with :f :give-up    answers {:valid? :unknown :cause :timeout}, as Knossos does at its limit
  - an op with :f :explode    throws
  - an ok :read of a value that was never the initial value nor written answers
    {:valid? false :op <that read> :previous-ok <the ok before it> :final-paths #{...}}
  - anything else             answers {:valid? true}

  Every call is recorded in last-call so that the tests can inspect what the bridge passed.")

(def last-call (atom nil))

(defn analysis
  ([model history]
   (analysis model history nil))
  ([model history opts]
   (reset! last-call {:model model :history history :opts opts})
   (let [fs (set (map :f history))]
     (cond
       (fs :sleep)   (do (Thread/sleep 60000) {:valid? true})
       (fs :give-up) {:valid? :unknown :cause :timeout}
       (fs :explode) (throw (ex-info "stand-in analysis exploded" {}))
       :else
       (let [written (into #{(:value model)}
                           (keep (fn [op] (when (and (= :invoke (:type op)) (= :write (:f op)))
                                            (:value op))))
                           history)
             bad?    (fn [op] (and (= :ok (:type op)) (= :read (:f op))
                                   (some? (:value op)) (not (contains? written (:value op)))))
             [before [bad]] (split-with (complement bad?) history)]
         (if bad
           {:valid?      false
            :analyzer    :stand-in
            :op          bad
            :previous-ok (last (filter #(= :ok (:type %)) before))
            :final-paths #{[{:op bad :model model}]}}
           {:valid? true :analyzer :stand-in}))))))
