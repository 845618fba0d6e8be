(ns knossos.model
  "STAND-IN for Knossos's knossos.model, used only by Faultline's tests of its Knossos bridge.
  This is not Knossos: each constructor returns a plain map naming the model and its initial value,
  so that the tests can see what the bridge built.")

(defn register
  ([] (register nil))
  ([value] {:model :register :value value}))

(defn cas-register
  ([] (cas-register nil))
  ([value] {:model :cas-register :value value}))

(defn mutex [] {:model :mutex :value false})

(defn multi-register [values] {:model :multi-register :value values})
